// Start scripts/check-worker.ts in workerd (through miniflare) so checks run in the Workers runtime.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigIssue } from '../src/config'
import type { MatchResult } from './check-worker'

export type { MatchResult } from './check-worker'

/** The checker worker, running. `dispose()` stops workerd; call it in a `finally`. */
export type Workerd = {
  /** compileConfig as the worker runs it, HTMLRewriter selector check included. */
  compile(config: unknown): Promise<{ ok: boolean; issues: ConfigIssue[] }>
  /** Stream `html` through HTMLRewriter: per selector, the matches and the template ids inside. */
  match(html: string, selectors: readonly string[]): Promise<MatchResult[]>
  dispose(): Promise<void>
}

/** The compatibility date the worker itself runs with (wrangler.toml), so workerd behaves the same. */
function compatibilityDate(root: string): string {
  try {
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8')
    return /^compatibility_date\s*=\s*"([0-9-]+)"/m.exec(toml)?.[1] ?? '2026-04-01'
  } catch {
    return '2026-04-01'
  }
}

/**
 * Bundle the checker worker with esbuild and start it in workerd (about a second, loopback only).
 * @example
 * const workerd = await startWorkerd(process.cwd())
 * try { console.log(await workerd.compile(config)) } finally { await workerd.dispose() }
 */
export async function startWorkerd(root: string): Promise<Workerd> {
  const bundle = await build({
    entryPoints: [join(root, 'scripts/check-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const mf = new Miniflare({ modules: true, script, compatibilityDate: compatibilityDate(root) })
  await mf.ready

  async function post<T>(path: string, body: unknown): Promise<T> {
    const res = await mf.dispatchFetch(`http://check.invalid${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) {
      throw new Error(`checker worker ${path}: HTTP ${res.status}: ${await res.text()}`)
    }
    return (await res.json()) as T
  }

  return {
    compile: (config) => post('/compile', config),
    match: (html, selectors) =>
      post('/match', { html, slots: selectors.map((selector) => ({ selector })) }),
    dispose: () => mf.dispose(),
  }
}
