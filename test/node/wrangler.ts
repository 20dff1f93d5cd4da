// Start `wrangler dev` on a free loopback port for end-to-end tests, and stop it again.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import { BOTH_WORKERS, OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))
      )
    })
  })
}

export type DevServer = {
  url: string
  process: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

/**
 * `wrangler dev` with both workers' configs and `--env dev` (the README's `npm run dev`) on 127.0.0.1 and a free port, ready when
 * /_tailor/health answers. Started from node_modules/.bin so the process id is wrangler's own.
 * `secrets`: e.g. `{ TAILOR_ADMIN_TOKEN }`, given to both workers through the environment; `cwd`:
 * the project to run (a copy, for tests that write its `.dev.vars`).
 */
export async function startDev(
  extraArgs: string[] = [],
  timeoutMs = 90_000,
  secrets: Record<string, string> = {},
  cwd = process.cwd()
): Promise<DevServer> {
  const port = await freePort()
  const bin = resolve(cwd, 'node_modules/.bin/wrangler')
  const child = spawn(
    bin,
    [
      'dev',
      ...BOTH_WORKERS,
      '--env',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      ...extraArgs,
    ],
    {
      env: {
        ...process.env,
        ...OFFLINE_WRANGLER_ENV,
        CI: 'true',
        // Declared secrets (wrangler.toml [env.dev.secrets]) reach both workers from here; a
        // `--var` reaches only the first config's worker.
        ...secrets,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    }
  )
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const url = `http://127.0.0.1:${port}`
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) {
        return done()
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      child.once('exit', () => {
        clearTimeout(timer)
        done()
      })
      child.kill('SIGTERM')
    })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log}`)
    }
    try {
      const res = await fetch(`${url}/_tailor/health`)
      if (res.ok) {
        return { url, process: child, output: () => log, stop }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${log}`)
}
