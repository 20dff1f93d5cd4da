// The bench's origin server (bench/origin.ts), bundled and run in a Node process of its own.
import { build } from 'esbuild'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

/** Bundle bench/origin.ts for Node into `outfile`. */
export async function buildOrigin(outfile: string): Promise<void> {
  await build({
    entryPoints: [resolve('bench/origin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  })
}

/**
 * Start the origin server process (`buildOrigin`'s bundle); resolves with its port once it listens.
 * @example const { child, port } = await startOrigin(join(dir, 'origin.mjs'))
 */
export function startOrigin(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error('bench: the origin did not start in 10 s')),
      10_000
    )
    child.once('exit', (code) => fail(new Error(`bench: the origin exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      ok({ child, port: (JSON.parse(line) as { port: number }).port })
    })
  })
}
