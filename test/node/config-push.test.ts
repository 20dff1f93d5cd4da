// `npm run config:push`: checks first, prints the exact wrangler command, and really writes local KV.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'

type Run = { code: number | null; stdout: string; stderr: string }

const WRANGLER_ENV = { ...OFFLINE_WRANGLER_ENV, CI: 'true' }

function run(command: string, args: string[]): Promise<Run> {
  // INIT_CWD (set when the tests run under `npm test`) would move relative paths; drop it.
  const env = { ...process.env, ...WRANGLER_ENV, INIT_CWD: undefined }
  return new Promise((done) => {
    execFile(command, args, { env, timeout: 50_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
      done({ code, stdout, stderr })
    })
  })
}

const push = (...args: string[]) =>
  run(process.execPath, ['scripts/run-ts.mjs', 'scripts/config-push.ts', ...args])

const lines = (r: Run) => r.stdout.trimEnd().split('\n')

let summary: string

beforeAll(async () => {
  // The project config's own summary line, as `npm run check` prints it.
  const check = await run(process.execPath, ['scripts/run-ts.mjs', 'scripts/check.ts'])
  summary = check.stdout.trimEnd()
  expect(summary).toMatch(/^tailor\.config\.json: OK \(/)
})

describe('npm run config:push -- --dry-run', () => {
  it('checks the config, then prints the wrangler command for Cloudflare KV', async () => {
    const r = await push('--dry-run')
    expect(lines(r)).toEqual([
      summary,
      '$ node_modules/.bin/wrangler kv key put config --binding TAILOR_CONFIG --path tailor.config.json --remote',
      'dry run: nothing uploaded',
    ])
    expect(r.code).toBe(0)
  })

  it('--local writes the KV of `npm run dev` (env dev) unless --env says otherwise', async () => {
    const local = await push('--dry-run', '--local')
    expect(lines(local)[1]).toBe(
      '$ node_modules/.bin/wrangler kv key put config --binding TAILOR_CONFIG --path tailor.config.json --env dev --local'
    )
    const staging = await push(
      '--dry-run',
      '--env',
      'staging',
      '--binding',
      'SITE_CONFIG',
      '--key',
      'config-v2',
      '--wrangler-config',
      '/etc/tailor/wrangler.toml'
    )
    expect(lines(staging)[1]).toBe(
      '$ node_modules/.bin/wrangler kv key put config-v2 --binding SITE_CONFIG --path tailor.config.json --env staging --remote --config /etc/tailor/wrangler.toml'
    )
  })

  it('refuses a config with errors and runs nothing', async () => {
    const r = await push('test/fixtures/check/problems.json', '--dry-run')
    expect(r.stdout).toContain(
      'error: config: slots.hero.selector: Expected a CSS selector HTMLRewriter supports. Got "p[" (Parser error: Unexpected end of selector.).'
    )
    expect(lines(r).at(-1)).toBe('test/fixtures/check/problems.json: 5 errors, 3 warnings')
    expect(r.stdout).not.toContain('$ ')
    expect(r.stderr).toContain('config:push: not uploaded: fix the errors above first.')
    expect(r.code).toBe(1)
  })

  it('pushes a config with warnings, but not with --strict', async () => {
    const file = 'test/fixtures/check/warnings.json'
    const r = await push(file, '--dry-run')
    expect(lines(r)).toContain(
      `$ node_modules/.bin/wrangler kv key put config --binding TAILOR_CONFIG --path ${file} --remote`
    )
    expect(r.code).toBe(0)
    const strict = await push(file, '--dry-run', '--strict')
    expect(strict.stderr).toContain('config:push: not uploaded: fix the problems above first.')
    expect(strict.code).toBe(1)
  })

  it('rejects --persist-to without --local', async () => {
    const r = await push('--persist-to', '/tmp/x', '--dry-run')
    expect(r.stderr).toMatch(/^config:push: Expected --persist-to only with --local\./)
    expect(r.code).toBe(2)
  })
})

describe('npm run config:push -- --local', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tailor-push-'))
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes the config to local KV, where wrangler reads it back byte for byte', async () => {
    const r = await push('--local', '--persist-to', dir)
    expect(r.stderr).not.toMatch(/ERROR/)
    const shown = relative(process.cwd(), dir).startsWith('..') ? dir : relative(process.cwd(), dir)
    expect(lines(r).slice(0, 2)).toEqual([
      summary,
      `$ node_modules/.bin/wrangler kv key put config --binding TAILOR_CONFIG --path tailor.config.json --env dev --local --persist-to ${shown}`,
    ])
    expect(r.stdout).toContain('Writing the contents of tailor.config.json to the key "config"')
    expect(r.code).toBe(0)

    const got = await run('node_modules/.bin/wrangler', [
      ...['kv', 'key', 'get', 'config', '--binding', 'TAILOR_CONFIG', '--env', 'dev'],
      ...['--local', '--persist-to', dir, '--text'],
    ])
    expect(got.code).toBe(0)
    const file = await readFile('tailor.config.json', 'utf8')
    // wrangler prints the value and then a newline of its own.
    expect(got.stdout).toBe(`${file}\n`)
  })
})
