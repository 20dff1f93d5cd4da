// Real Chromium against `wrangler dev`: a site owner signs in and reads the report of seeded counts.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'
import { seedReport } from './report-seed'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
const ARTIFACTS = resolve('test-results')
/** Loopback ports of the project's report range (9600-9649). */
const PORT = Number(process.env.REPORT_TEST_PORT ?? 9610)
const URL_ = `http://127.0.0.1:${PORT}`
const TOKEN = 'browser-admin-token-0123456789'

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('a site owner reads the report in real Chromium', () => {
  let dev: ChildProcess
  let state: string
  let browser: Browser
  let page: Page
  let log = ''

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    state = mkdtempSync(join(tmpdir(), 'tailor-report-'))
    dev = spawn(
      resolve('node_modules/.bin/wrangler'),
      [
        'dev',
        'test/node/report-seed-worker.ts',
        // The whole app in one worker, with the store's class: the console's config.
        '-c',
        'wrangler.console.toml',
        '--env',
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(PORT),
        '--inspector-port',
        String(PORT + 1),
        '--persist-to',
        state,
      ],
      {
        env: { ...process.env, ...OFFLINE_WRANGLER_ENV, CI: 'true', TAILOR_ADMIN_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    dev.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    dev.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 90_000
    for (;;) {
      if (dev.exitCode !== null || Date.now() > deadline) {
        throw new Error(`wrangler dev did not start:\n${log}`)
      }
      const ok = await fetch(`${URL_}/_tailor/health`).then(
        (r) => r.ok,
        () => false
      )
      if (ok) {
        break
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    const seeded = await fetch(`${URL_}/__test/seed`, {
      method: 'POST',
      body: JSON.stringify(seedReport(Date.now())),
    })
    expect(await seeded.text()).toBe('seeded')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    })
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev.once('exit', r))
      dev.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
    }
    rmSync(state, { recursive: true, force: true })
  })

  /** Full-page screenshots at desktop and phone widths. */
  async function shoot(name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  }

  it('is sent to the login form, and a wrong token is refused', async () => {
    await page.goto(`${URL_}/_tailor/admin/experiments`)
    expect(page.url()).toBe(`${URL_}/_tailor/admin/login`)
    await page.getByLabel('Admin token').fill('not the token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    expect(await page.getByRole('alert').innerText()).toContain('That token is not right.')
    await shoot('report-login')
  })

  it('signs in and reads the list, with the holdout lift', async () => {
    await page.getByLabel('Admin token').fill(TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${URL_}/_tailor/admin/experiments`)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Experiments')
    expect(await page.locator('.card').first().innerText()).toContain(
      'Personalisation against the holdout'
    )
    expect(await page.locator('tbody tr').count()).toBe(5)
    await shoot('report-list')
  })

  it('opens an experiment: verdict, arms table, chart', async () => {
    await page.getByRole('link', { name: 'Which cycling story leads the home page' }).click()
    await page.waitForURL(/experiments\/hero-cyclists$/)
    expect(await page.locator('.verdict').innerText()).toMatch(
      /The lakeside loop, at dawn (leads|wins): (>99|\d+)% chance to beat control/
    )
    expect(await page.locator('table.arms').first().innerText()).toContain('Three passes')
    expect(await page.locator('figure svg polyline').count()).toBe(2)
    await shoot('report-experiment')
  })

  it('sees the SRM banner on the skewed experiment', async () => {
    await page.goto(`${URL_}/_tailor/admin/experiments/picks-order`)
    expect(await page.getByRole('alert').innerText()).toContain('Sample-ratio mismatch.')
    await shoot('report-srm')
  })

  it('reads a bandit: weights over time and per device', async () => {
    await page.goto(`${URL_}/_tailor/admin/experiments/offer-box`)
    expect(await page.getByRole('heading', { name: 'Traffic share over time' }).count()).toBe(1)
    expect(await page.locator('td', { hasText: /^mobile$/ }).count()).toBe(1)
    await shoot('report-bandit')
  })

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${URL_}/_tailor/admin/login`)
    await page.goto(`${URL_}/_tailor/admin/experiments`)
    expect(page.url()).toBe(`${URL_}/_tailor/admin/login`)
  })
})
