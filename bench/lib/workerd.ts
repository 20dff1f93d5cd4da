// Serve a bench worker's bundle with Miniflare in a workerd process of its own, and find that process.
import { Miniflare } from 'miniflare'
import type { SharedOptions, WorkerOptions } from 'miniflare'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { childPids } from './proc'

/** The runtime of every bench worker: wrangler.toml's date and flags. */
export const BENCH_RUNTIME: { compatibilityDate: string; compatibilityFlags: string[] } = {
  compatibilityDate: '2026-04-01',
  compatibilityFlags: ['nodejs_compat'],
}

/** A started worker: its Miniflare (dispose it), its URL, and its workerd's pid (for /proc). */
export type StartedWorkerd = { mf: Miniflare; url: URL; pid: number }

/**
 * Start `scriptPath` (an ES module bundle) in a new workerd on 127.0.0.1, port 0 unless `port` is
 * given, and return once it serves. The pid is the workerd process that appeared meanwhile, so
 * start one at a time. Throws, naming `label`, when no new workerd process is found.
 * @example const { mf, url, pid } = await startWorkerd('loss', { scriptPath, ...BENCH_RUNTIME })
 */
export async function startWorkerd(
  label: string,
  options: Omit<SharedOptions, 'host'> & WorkerOptions & { scriptPath: string }
): Promise<StartedWorkerd> {
  const before = new Set(childPids('workerd'))
  const mf = new Miniflare({ host: '127.0.0.1', port: 0, modules: true, ...options })
  const url = await mf.ready
  const pid = childPids('workerd').find((p) => !before.has(p))
  if (pid === undefined) {
    await mf.dispose()
    throw new Error(`${label}: no workerd process found`)
  }
  return { mf, url, pid }
}

/**
 * `startWorkerd`, with load going straight to the worker's own socket, as in a plain workerd or at
 * the edge: Miniflare's entry worker in front costs every request about 0.3 ms of CPU in the same
 * process and dilutes every ratio (bench/README.md). `url` is that socket's.
 * @example const { mf, url, pid } = await startWorkerdDirect('bench: pass', { scriptPath, ...BENCH_RUNTIME })
 */
export async function startWorkerdDirect(
  label: string,
  options: Omit<SharedOptions, 'host'> & WorkerOptions & { scriptPath: string }
): Promise<StartedWorkerd> {
  const started = await startWorkerd(label, {
    ...options,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  })
  return { ...started, url: await started.mf.unsafeGetDirectURL() }
}

/**
 * Forward workerd's output, less the line it writes each time the load generator hangs up on a
 * response still being sent at the end of a run ("disconnected: … Broken pipe"): expected.
 * @example await startWorkerdDirect('bench', { scriptPath, handleRuntimeStdio: forwardRuntimeOutput })
 */
export function forwardRuntimeOutput(stdout: Readable, stderr: Readable): void {
  for (const [stream, sink] of [
    [stdout, process.stdout],
    [stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on('line', (line) => {
      if (!/Broken pipe|Connection reset by peer|^stack: /.test(line)) {
        sink.write(`workerd: ${line}\n`)
      }
    })
  }
}
