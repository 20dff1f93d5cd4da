// Run a TypeScript script under Node 20 (which cannot strip types): bundle it with esbuild, then import it.
// Usage: node scripts/run-ts.mjs scripts/emit-schema.ts [args...]
import { build } from 'esbuild'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]')
  process.exit(2)
}
// Inside the project, so the bundle's bare imports resolve from its node_modules.
const cache = resolve('node_modules/.cache')
await mkdir(cache, { recursive: true })
const dir = await mkdtemp(join(cache, 'tailor-script-'))
const outfile = join(dir, 'script.mjs')
try {
  await build({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'error',
  })
  process.argv = [process.argv[0], resolve(entry), ...args]
  await import(pathToFileURL(outfile).href)
} finally {
  await rm(dir, { recursive: true, force: true })
}
