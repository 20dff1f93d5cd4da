// `npm run secret`: one secret into both workers' configs, or a clear refusal.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { putCommands } from './secret'

describe('npm run secret', () => {
  it('puts the secret into the page worker and the console, with the caller flags', () => {
    expect(putCommands('TAILOR_SECRET', ['--env', 'staging'])).toEqual([
      ['secret', 'put', 'TAILOR_SECRET', '-c', 'wrangler.toml', '--env', 'staging'],
      ['secret', 'put', 'TAILOR_SECRET', '-c', 'wrangler.console.toml', '--env', 'staging'],
    ])
  })

  it('refuses a name the workers do not read, and an empty value, changing nothing', () => {
    const run = (args: string[], input: string) =>
      spawnSync('node', ['scripts/run-ts.mjs', 'scripts/secret.ts', ...args], {
        input,
        encoding: 'utf8',
      })
    const bad = run(['PASSWORD'], 'x')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('Expected one of TAILOR_SECRET, TAILOR_ADMIN_TOKEN. Got PASSWORD.')
    const empty = run(['TAILOR_SECRET'], '')
    expect(empty.status).toBe(2)
    expect(empty.stderr).toContain('Got an empty one')
    expect(empty.stdout).not.toContain('$ wrangler')
  })
})
