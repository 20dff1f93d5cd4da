// `import { tailor } from 'tailor'` in a fresh Hono app: npm pack, install the tarball, type-check, serve in workerd.
import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'

/** Ports from this suite's range (9400-9449). */
const PORT = 9420
const INSPECTOR = 9421
const ROOT = resolve('.')
const TSC = resolve('node_modules/typescript/bin/tsc')
const WRANGLER = resolve('node_modules/.bin/wrangler')

type Run = { code: number; out: string }

function run(file: string, args: string[], cwd: string, timeout = 120_000): Promise<Run> {
  const env = { ...process.env, ...OFFLINE_WRANGLER_ENV, INIT_CWD: undefined }
  return new Promise((done) => {
    execFile(file, args, { cwd, env, timeout }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
      done({ code, out: `${stdout}${stderr}` })
    })
  })
}

/** The host app: its own Hono, its own page, Tailor as one middleware with a typed config. */
const APP = `import { Hono } from 'hono'
import type { ConfigInput, TailorEnv } from 'tailor'
import { tailor } from 'tailor'

const config: ConfigInput = {
  version: 1,
  locales: ['en', 'fr'],
  slots: {
    hero: {
      selector: '[data-tailor="hero"]',
      variants: [{ id: 'fr', when: { language: 'fr' }, action: { type: 'text', text: 'Bonjour' } }],
    },
  },
}

const app = new Hono<TailorEnv>()
app.use(tailor({ config }))
app.get('/', (c) => c.html('<!doctype html><h1 data-tailor="hero">Hello</h1>'))
export default app
`

/** A config TypeScript must refuse: the format version is 1, and "txt" is no action. */
const BAD = `import { tailor } from 'tailor'
tailor({ config: { version: 2, locales: ['en'], slots: {} } })
tailor({ config: { version: 1, locales: ['en'], slots: { a: { selector: 'h1', variants: [{ id: 'x', action: { type: 'txt', text: '' } }] } } } })
`

const TSCONFIG = (include: string[]) =>
  JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      lib: ['es2024'],
      module: 'es2022',
      moduleResolution: 'bundler',
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: ['worker-configuration.d.ts', ...include],
  })

describe('the packed library in a fresh Hono app', () => {
  let dir: string
  let app: string
  let dev: ChildProcess | undefined
  let devLog = ''

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tailor-library-'))
    app = join(dir, 'app')
    await mkdir(join(app, 'src'), { recursive: true })
  }, 30_000)

  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev?.once('exit', r))
      process.kill(-(dev.pid ?? 0), 'SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  })

  it('packs (building dist/ on prepack) and installs the tarball into a fresh app', async () => {
    const packed = await run('npm', ['pack', '--pack-destination', dir], ROOT)
    expect(packed.code, packed.out).toBe(0)
    const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))
    expect(tarball).toBe('tailor-0.1.0.tgz')
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'host-app', private: true, type: 'module' })
    )
    // From the npm cache of this project's install where it can (only the registry otherwise).
    const installed = await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', `../${tarball}`, 'hono@4.13.19'],
      app
    )
    expect(installed.code, installed.out).toBe(0)
  })

  it('type-checks the app against the package types, and refuses a mistyped config', async () => {
    await writeFile(join(app, 'src/index.ts'), APP)
    await writeFile(join(app, 'src/bad.ts'), BAD)
    await writeFile(
      join(app, 'wrangler.toml'),
      'name = "host-app"\nmain = "src/index.ts"\ncompatibility_date = "2026-04-01"\n'
    )
    await writeFile(join(app, '.dev.vars'), 'TAILOR_SECRET="k1:host-app-secret-0123456789abcdef"\n')
    const types = await run(WRANGLER, ['types'], app)
    expect(types.code, types.out).toBe(0)
    await writeFile(join(app, 'tsconfig.json'), TSCONFIG(['src/index.ts']))
    const good = await run(process.execPath, [TSC, '-p', '.'], app)
    expect(good.out).toBe('')
    expect(good.code).toBe(0)
    await writeFile(join(app, 'tsconfig.bad.json'), TSCONFIG(['src/bad.ts']))
    const bad = await run(process.execPath, [TSC, '-p', 'tsconfig.bad.json'], app)
    expect(bad.code).not.toBe(0)
    expect(bad.out).toContain("Type '2' is not assignable to type '1'")
    expect(bad.out).toContain('"txt"')
  })

  it('serves a personalised page from it under workerd (wrangler dev)', async () => {
    dev = spawn(
      WRANGLER,
      ['dev', '--ip', '127.0.0.1', '--port', String(PORT), '--inspector-port', String(INSPECTOR)],
      {
        cwd: app,
        env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }
    )
    dev.stdout?.on('data', (d: Buffer) => (devLog += d.toString()))
    dev.stderr?.on('data', (d: Buffer) => (devLog += d.toString()))
    const url = `http://127.0.0.1:${PORT}`
    let health = 0
    for (let i = 0; i < 240 && health !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250))
      health = await fetch(`${url}/_tailor/health`).then(
        (r) => r.status,
        () => 0
      )
    }
    expect(health, devLog).toBe(200)
    const french = await fetch(`${url}/`, { headers: { 'accept-language': 'fr' } })
    expect(await french.text()).toBe('<!doctype html><h1 data-tailor="hero">Bonjour</h1>')
    expect(french.headers.get('cache-control')).toBe('private, no-store')
    const english = await fetch(`${url}/`, { headers: { 'accept-language': 'en' } })
    expect(await english.text()).toBe('<!doctype html><h1 data-tailor="hero">Hello</h1>')
  }, 90_000)
})
