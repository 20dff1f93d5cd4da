// `npm run dev` on a first run: the demo answers, and none of the noise that looks like failure.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { devArgs, devEnv, quietDevOutput } from '../../scripts/dev'

/** Ports from this suite's range (9400-9449). */
const PORT = 9410
const INSPECTOR = 9411

describe('devArgs', () => {
  it('adds the defaults the caller did not give', () => {
    const both = ['-c', 'wrangler.toml', '-c', 'wrangler.console.toml']
    expect(devArgs([])).toEqual([
      'dev',
      ...both,
      '--env',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '8787',
    ])
    expect(devArgs(['--port', '9400', '--var', 'ORIGIN:http://127.0.0.1:9401'])).toEqual([
      'dev',
      ...both,
      '--env',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '9400',
      '--var',
      'ORIGIN:http://127.0.0.1:9401',
    ])
  })

  it('runs both workers unless the caller names a config', () => {
    expect(devArgs(['-c', 'my.toml'])).toEqual([
      'dev',
      '--env',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '8787',
      '-c',
      'my.toml',
    ])
    expect(devArgs(['--config=my.toml'])).not.toContain('wrangler.console.toml')
  })
})

describe('quietDevOutput', () => {
  it("drops wrangler's premature [not connected] and its note, and nothing else", () => {
    const table = [
      'env.TAILOR_EXPERIMENTS (ExperimentStore, defined in tailor-console-dev)  Durable Object  local [not connected]',
      'env.TAILOR_CONSOLE (tailor-console-dev)  Worker  local [not connected]',
      '',
      'Service bindings, Durable Object bindings, and Tail consumers connect to other Wrangler or Vite dev processes running locally, with their connection status indicated by [connected] or [not connected]. For more details, refer to https://example',
      'Ready on http://127.0.0.1:8787',
    ].join('\n')
    const out = quietDevOutput(table)
    expect(out).not.toContain('not connected')
    expect(out).not.toContain('other Wrangler')
    expect(out).toContain('env.TAILOR_CONSOLE (tailor-console-dev)  Worker  local\n')
    expect(out).toContain('Ready on http://127.0.0.1:8787')
  })
})

describe('devEnv', () => {
  it('turns the cf fetch off only offline, and never overrides the caller', () => {
    expect(devEnv({}, false, false).CLOUDFLARE_CF_FETCH_ENABLED).toBe('false')
    expect(devEnv({}, true, false).CLOUDFLARE_CF_FETCH_ENABLED).toBeUndefined()
    expect(devEnv({ WRANGLER_HIDE_BANNER: 'false' }, true, true).WRANGLER_HIDE_BANNER).toBe('false')
  })

  it('declares an empty TAILOR_SECRET only when no .dev.vars or .env can give one', () => {
    expect(devEnv({}, true, false).TAILOR_SECRET).toBe('')
    expect(devEnv({}, true, true)).not.toHaveProperty('TAILOR_SECRET')
  })
})

describe('npm run dev, first run', () => {
  it('serves the demo and prints no warning, secret complaint or stack trace', async () => {
    // A first-time user's shell: none of the project's offline variables set.
    const env = { ...process.env }
    for (const name of Object.keys(env)) {
      if (name.startsWith('WRANGLER_') || name.startsWith('CLOUDFLARE_') || name === 'CI') {
        delete env[name]
      }
    }
    const child = spawn(
      'npm',
      ['run', 'dev', '--', '--port', String(PORT), '--inspector-port', String(INSPECTOR)],
      {
        env: { ...env, WRANGLER_SEND_METRICS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so the test can end npm, node, wrangler and workerd together.
        detached: true,
      }
    )
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    try {
      let status = 0
      for (let i = 0; i < 240 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250))
        status = await fetch(`http://127.0.0.1:${PORT}/`).then(
          (r) => r.status,
          () => 0
        )
      }
      expect(status).toBe(200)
      await new Promise((r) => setTimeout(r, 500))
      expect(log).toContain('Ready on http://127.0.0.1:')
      expect(log).toContain(
        'tailor/keys: TAILOR_SECRET is not set: using the public development key'
      )
      for (const noise of [
        'WARNING',
        'experimental',
        'Missing required secrets',
        'ENOTFOUND',
        'not connected',
      ]) {
        expect(log, log).not.toContain(noise)
      }
    } finally {
      // npm starts node, which starts wrangler and workerd: end the group this test started.
      const exited = new Promise((r) => child.once('exit', r))
      process.kill(-(child.pid ?? 0), 'SIGTERM')
      await exited
      await new Promise((r) => setTimeout(r, 500))
    }
  }, 90_000)
})
