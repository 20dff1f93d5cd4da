// Bundles for workerd: a bench or test worker as it is, and the page worker (src/worker.ts) as
// `wrangler deploy` bundles it, with another config in place of its bundled tailor.config.json.
import { build } from 'esbuild'
import type { BuildOptions } from 'esbuild'
import { writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/**
 * What every bundle for workerd has: one ES module, the runtime's conditions, and the runtime's
 * own modules (`cloudflare:workers`, which exports the Durable Object base class) kept as imports.
 */
const FOR_WORKERD = {
  bundle: true,
  format: 'esm',
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  external: ['cloudflare:*'],
  logLevel: 'error',
} satisfies BuildOptions

/**
 * Bundle the worker module at `entry` (a path from the project root) into `outfile`, for workerd
 * (`FOR_WORKERD`).
 * @example await buildWorker('bench/workers/passthrough.ts', join(dir, 'passthrough.js'))
 */
export async function buildWorker(entry: string, outfile: string): Promise<void> {
  await build({ ...FOR_WORKERD, entryPoints: [resolve(entry)], platform: 'browser', outfile })
}

/**
 * Bundle the worker module at `entry` as `wrangler deploy` bundles the page worker (wrangler.toml:
 * `minify = true`; wrangler keeps function names, which is esbuild's `keepNames`), unless
 * `minify` is false (readable names for a profile). `config`: the file every import of
 * tailor.config.json resolves to instead.
 * @example await buildAsDeployed('src/worker.ts', join(dir, 'worker.js'), { config: join(dir, 'c.json') })
 */
export async function buildAsDeployed(
  entry: string,
  outfile: string,
  options: { config?: string; minify?: boolean } = {}
): Promise<void> {
  const { config } = options
  await build({
    ...FOR_WORKERD,
    entryPoints: [resolve(entry)],
    platform: 'neutral',
    mainFields: ['browser', 'module', 'main'],
    minify: options.minify ?? true,
    keepNames: true,
    outfile,
    plugins: config
      ? [
          {
            name: 'swap-config',
            setup(b) {
              b.onResolve({ filter: /tailor\.config\.json$/ }, () => ({ path: config }))
            },
          },
        ]
      : [],
  })
}

/**
 * Bundle src/worker.ts into `outfile` with `config` as its bundled config (written next to it),
 * as `wrangler deploy` does (`buildAsDeployed`). The worker exports the experiments' Durable
 * Object class, from `cloudflare:workers`.
 * @example await buildPageWorker(join(dir, 'production.js'), harnessConfig(10))
 */
export async function buildPageWorker(
  outfile: string,
  config: unknown,
  minify = true
): Promise<void> {
  const configPath = join(dirname(outfile), 'page-worker.config.json')
  await writeFile(configPath, JSON.stringify(config))
  await buildAsDeployed('src/worker.ts', outfile, { config: configPath, minify })
}
