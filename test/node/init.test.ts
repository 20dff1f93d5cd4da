// `npm run init`: a small valid config for your own site, from flags or answers; never overwrites by surprise.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initConfig, parseAnswers, setOrigin } from '../../scripts/init'
import { compileConfig } from '../../src/config'

type Run = { code: number | null; stdout: string; stderr: string }

/** `node scripts/run-ts.mjs scripts/init.ts ...args`, with `input` piped to its stdin. */
function init(args: string[], input = ''): Promise<Run> {
  const env = { ...process.env, INIT_CWD: undefined }
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'scripts/init.ts', ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code) => done({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

/** `npm run check` on a file, in workerd as the worker validates it. */
function check(file: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['scripts/run-ts.mjs', 'scripts/check.ts', file],
      { env: { ...process.env, INIT_CWD: undefined }, timeout: 50_000 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })
    )
  })
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailor-init-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('parseAnswers', () => {
  it('keeps the origin without a trailing slash, defaults the locale and the brand', () => {
    expect(parseAnswers(' https://www.example.com/ ', '', '')).toEqual({
      origin: 'https://www.example.com',
      locales: ['en'],
      brand: 'www.example.com',
    })
    expect(parseAnswers('https://example.com/shop/', 'fr, en,fr', 'Boutique')).toEqual({
      origin: 'https://example.com/shop',
      locales: ['fr', 'en'],
      brand: 'Boutique',
    })
  })

  it.each([
    [
      'example.com',
      'en',
      '',
      'origin: Expected an http(s) URL such as "https://www.example.com". Got "example.com".',
    ],
    ['ftp://example.com', 'en', '', 'origin: Expected an http(s) URL. Got "ftp://example.com".'],
    [
      'https://example.com',
      'en,French',
      '',
      'locales: Expected language tags such as "en" or "pt-BR". Got "French".',
    ],
    [
      'https://example.com',
      'en',
      'x'.repeat(121),
      'brand: Expected a name of 120 characters at most. Got 121.',
    ],
  ])('refuses %j %j', (origin, locales, brand, message) => {
    expect(() => parseAnswers(origin, locales, brand)).toThrow(message)
  })
})

describe('initConfig', () => {
  it('is a valid config with one example slot, a variant per extra locale and one per interest', () => {
    const config = initConfig(parseAnswers('https://www.example.com', 'en,fr', 'Example'))
    const compiled = compileConfig(config)
    expect(compiled.ok ? [] : compiled.issues).toEqual([])
    expect(Object.keys(config.slots)).toEqual(['hero'])
    expect(config.slots.hero.variants.map((v) => v.id)).toEqual(['guides', 'lang-fr'])
    expect(config.slots.hero.$comment).toContain('data-tailor="hero"')
    expect(config).not.toHaveProperty('demo')
  })

  it('dates the GPC policy (gpc.json lastUpdate) to the day it was written', () => {
    const answers = parseAnswers('https://www.example.com', 'en', 'Example')
    expect(initConfig(answers, '2026-11-29').consent).toEqual({ gpcLastUpdate: '2026-11-29' })
    expect(initConfig(answers).consent.gpcLastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const compiled = compileConfig(initConfig(answers, '2026-11-29'))
    expect(compiled.ok && compiled.compiled.config.consent.gpcLastUpdate).toBe('2026-11-29')
  })
})

describe('setOrigin', () => {
  it('points every ORIGIN line at the site, and nothing else', () => {
    const toml = '[vars]\nORIGIN = ""\n# ORIGIN = "x"\n[env.dev.vars]\nORIGIN = "https://old"\n'
    expect(setOrigin(toml, 'https://www.example.com')).toBe(
      '[vars]\nORIGIN = "https://www.example.com"\n# ORIGIN = "x"\n[env.dev.vars]\nORIGIN = "https://www.example.com"\n'
    )
  })
})

describe('npm run init', () => {
  it('writes a config from flags that npm run check passes, and sets ORIGIN', async () => {
    const out = join(dir, 'flags.json')
    const wrangler = join(dir, 'wrangler.toml')
    await writeFile(wrangler, await readFile('wrangler.toml', 'utf8'))
    const consoleConfig = join(dir, 'wrangler.console.toml')
    await writeFile(consoleConfig, await readFile('wrangler.console.toml', 'utf8'))
    const run = await init([
      '--origin',
      'http://127.0.0.1:9420/',
      '--locales',
      'en,de',
      '--brand',
      'Test Site',
      '--out',
      out,
      '--wrangler',
      wrangler,
      '--yes',
    ])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('npm run check -- --against http://127.0.0.1:9420/')
    const config = JSON.parse(await readFile(out, 'utf8')) as ReturnType<typeof initConfig>
    expect(config.locales).toEqual(['en', 'de'])
    expect(config.brand).toEqual({ name: 'Test Site' })
    expect((await readFile(wrangler, 'utf8')).match(/^ORIGIN = .*$/gm)).toEqual([
      'ORIGIN = "http://127.0.0.1:9420"',
      'ORIGIN = "http://127.0.0.1:9420"',
    ])
    // The console worker reads the same ORIGIN.
    expect((await readFile(consoleConfig, 'utf8')).match(/^ORIGIN = .*$/gm)).toEqual([
      'ORIGIN = "http://127.0.0.1:9420"',
      'ORIGIN = "http://127.0.0.1:9420"',
    ])
    const checked = await check(out)
    expect(checked.stdout).toContain('OK (1 slot, 2 variants)')
    expect(checked.code).toBe(0)
  })

  it('asks when no flags are given (answers piped in)', async () => {
    const out = join(dir, 'asked.json')
    const run = await init(
      ['--out', out, '--wrangler', 'none'],
      'https://www.example.org\nen,fr\nExample Org\n'
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Your site (origin URL): https://www.example.org')
    const config = JSON.parse(await readFile(out, 'utf8')) as ReturnType<typeof initConfig>
    expect(config.locales).toEqual(['en', 'fr'])
    expect(config.brand.name).toBe('Example Org')
  })

  it('refuses to overwrite an existing file without --force', async () => {
    const out = join(dir, 'kept.json')
    await writeFile(out, '{"mine":true}\n')
    const args = ['--origin', 'https://a.example', '--out', out, '--wrangler', 'none', '--yes']
    const refused = await init(args)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('exists. Run again with --force to replace it.')
    expect(await readFile(out, 'utf8')).toBe('{"mine":true}\n')
    const forced = await init([...args, '--force'])
    expect(forced.code).toBe(0)
    expect(await readFile(out, 'utf8')).toContain('"version": 1')
  })

  it('exits 2 with a message on a bad answer, and writes nothing', async () => {
    const out = join(dir, 'bad.json')
    const run = await init(['--origin', 'nope', '--out', out, '--wrangler', 'none', '--yes'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('origin: Expected an http(s) URL')
    await expect(readFile(out, 'utf8')).rejects.toThrow('ENOENT')
    const none = await init(['--out', out, '--wrangler', 'none', '--yes'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('origin: Expected --origin URL with --yes. Got none.')
  })
})
