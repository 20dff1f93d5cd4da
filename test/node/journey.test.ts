// A site owner's first hour, in real Chromium: init, edit a variant, check, run, and a visitor sees it work.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'
import { copyProject, OWN_PAGE, startOrigin } from './project'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
const ARTIFACTS = resolve('test-results')

/** Ports from this suite's range (9450-9499): the owner's site, `npm run dev`, its inspector. */
const SITE_PORT = 9450
const DEV_PORT = 9451
const INSPECTOR_PORT = 9452
const SITE = `http://127.0.0.1:${SITE_PORT}`
const DEV = `http://127.0.0.1:${DEV_PORT}`

type Run = { code: number | null; out: string }

function npm(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('npm', args, {
      cwd,
      env: { ...process.env, ...OFFLINE_WRANGLER_ENV, INIT_CWD: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code) => done({ code, out }))
  })
}

type Slot = { variants: { id: string; when?: unknown; action: Record<string, string> }[] }

describe.skipIf(!existsSync(CHROMIUM) && !IN_CI)('a site owner’s first hour', () => {
  let dir: string
  let site: Server
  let dev: ChildProcess | undefined
  let devLog = ''
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    // A clean clone of this project, and the owner's one-page site.
    dir = await mkdtemp(join(tmpdir(), 'tailor-journey-'))
    copyProject(dir)
    site = await startOrigin(SITE_PORT)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })

  afterAll(async () => {
    await browser?.close()
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev?.once('exit', r))
      process.kill(-(dev.pid ?? 0), 'SIGTERM')
      await exited
    }
    await new Promise((r) => site?.close(r))
    await rm(dir, { recursive: true, force: true })
  })

  it('1. npm run init against the site', async () => {
    const args = ['run', 'init', '--', '--origin', SITE, '--locales', 'en,fr', '--brand', 'Example']
    // The clone ships the demo's config: init refuses to replace it without --force.
    const refused = await npm(args, dir)
    expect(refused.code).toBe(1)
    expect(refused.out).toContain('exists. Run again with --force to replace it.')
    const run = await npm([...args, '--yes', '--force'], dir)
    expect(run.code, run.out).toBe(0)
    expect(readFileSync(join(dir, 'wrangler.toml'), 'utf8')).toContain(`ORIGIN = "${SITE}"`)
  })

  it('2. edits one variant (and adds one whose template the page lacks)', () => {
    const file = join(dir, 'tailor.config.json')
    const config = JSON.parse(readFileSync(file, 'utf8')) as { slots: { hero: Slot } }
    const guides = config.slots.hero.variants.find((v) => v.id === 'guides')
    expect(guides?.action.text).toBe('Guides picked for you')
    if (guides) {
      guides.action.text = 'Your guides, picked by Example'
    }
    config.slots.hero.variants.push({
      id: 'news',
      when: { 'prefs.interests': 'news' },
      action: { type: 'template', id: 'news' },
    })
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`)
  })

  it('3. npm run check -- --against the site', async () => {
    const run = await npm(['run', 'check', '--', '--against', `${SITE}/`], dir)
    expect(run.code, run.out).toBe(0)
    expect(run.out).toMatch(/hero\s+\[data-tailor="hero"\]\s+1 match\s+templates: news ✗/)
  })

  it('4. npm run dev with that origin', async () => {
    dev = spawn(
      'npm',
      ['run', 'dev', '--', '--port', String(DEV_PORT), '--inspector-port', String(INSPECTOR_PORT)],
      {
        cwd: dir,
        env: { ...process.env, ...OFFLINE_WRANGLER_ENV, INIT_CWD: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }
    )
    dev.stdout?.on('data', (d: Buffer) => (devLog += d.toString()))
    dev.stderr?.on('data', (d: Buffer) => (devLog += d.toString()))
    let health: unknown
    for (let i = 0; i < 240 && !health; i++) {
      await new Promise((r) => setTimeout(r, 250))
      health = await fetch(`${DEV}/_tailor/health`).then(
        (r) => (r.ok ? r.json() : undefined),
        () => undefined
      )
    }
    expect(health, devLog).toMatchObject({ ok: true })
    expect(health).not.toHaveProperty('warnings')
  })

  it('5. a visitor opens the page, saves an interest in the centre, and sees the block change', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 600 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await page.goto(`${DEV}/`)
    expect(await page.locator('h1').innerText()).toBe('Hello')
    await page.screenshot({ path: join(ARTIFACTS, 'journey-1-page.png') })

    await page.getByRole('link', { name: 'Your personalisation settings' }).click()
    await page.waitForURL(`${DEV}/_tailor/`)
    await page.getByLabel('Guides').check()
    await page.screenshot({ path: join(ARTIFACTS, 'journey-2-centre.png'), fullPage: true })
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.waitForURL(/done=saved/)
    expect(await page.getByRole('status').innerText()).toBe('Your preferences are saved.')

    await page.goto(`${DEV}/`)
    expect(await page.locator('h1').innerText()).toBe('Your guides, picked by Example')
    await page.screenshot({ path: join(ARTIFACTS, 'journey-3-changed.png') })
    await context.close()
  })

  it('5b. a visitor whose variant’s template is missing gets the origin’s block byte for byte', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 600 } })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await page.goto(`${DEV}/_tailor/`)
    await page.getByLabel('News').check()
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.waitForURL(/done=saved/)
    // The same request the browser makes, with its cookie: the body as Tailor sent it.
    const res = await context.request.get(`${DEV}/`)
    const body = await res.text()
    await page.goto(`${DEV}/`)
    await page.screenshot({ path: join(ARTIFACTS, 'journey-4-missing-template.png') })
    expect(body).toContain('<h1 data-tailor="hero">Hello</h1>')
    expect(body).toBe(OWN_PAGE)
    await context.close()
  })
})
