// `npm run build`: the library for `import { tailor } from 'tailor'`: dist/index.js (ESM) and its .d.ts.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { build } from 'esbuild'

/** Where `npm pack` finds the library (package.json `exports`). */
export const DIST = 'dist'

rmSync(DIST, { recursive: true, force: true })
// One ES module; hono and valibot stay imports, so the host app's copies are the ones used.
await build({
  entryPoints: ['src/index.ts'],
  outfile: `${DIST}/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  logLevel: 'error',
})
// Declarations from the same sources (tsc; esbuild strips types and cannot write them).
execFileSync(
  process.execPath,
  [resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    stdio: 'inherit',
  }
)
console.log(`built ${DIST}/index.js and ${DIST}/types/`)
