// Real Chromium against `wrangler dev`: a visitor joins the demo's cycling test, sees it listed in
// the centre with why, leaves it, and gets the block's usual choice back.
import { existsSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from './wrangler'
import { startDev } from './wrangler'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

const STORIES = ['Three passes, one gravel bike', 'The lakeside loop, at dawn']

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('a visitor leaves a test in real Chromium', () => {
  let dev: DevServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    dev = await startDev()
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    })
    // A desktop Chrome's user agent: headless Chromium says "HeadlessChrome", which the isbot list
    // rightly takes for automation, and automation is never enrolled in a test.
    context = await browser.newContext({
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
    })
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await dev?.stop()
  })

  const hero = () => page.locator('[data-tailor="hero"] h1').innerText()

  /** In the centre: choose cycling, then agree to tests. */
  async function joinTests(): Promise<void> {
    await page.goto(`${dev.url}/_tailor/`)
    await page.getByLabel('Cycling').check()
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.waitForURL(/done=saved/)
    await page.getByRole('button', { name: 'Include me in tests' }).click()
    await page.waitForURL(/done=tests-on/)
    expect(await page.getByRole('status').innerText()).toBe(
      'Thank you. You may be included in tests.'
    )
  }

  it('chooses cycling and agrees to tests', joinTests)

  it('a headless browser announcing itself is automation: never enrolled', async () => {
    const bot = await browser.newPage()
    await bot.goto(`${dev.url}/`)
    expect(await bot.locator('[data-tailor="newsletter"] a').getAttribute('ping')).toBeNull()
    await bot.close()
  })

  it('is shown one of the two stories, the same on every visit', async () => {
    await page.goto(`${dev.url}/`)
    // The demo holds 5% of visitors out of all personalisation (the holdout), drawn on this first
    // page: a held-out visitor is in no test, so start again as a new visitor (at most 5 times).
    for (let tries = 0; tries < 5; tries++) {
      const drawn = (await page.evaluate(() =>
        fetch('/_tailor/api/tests').then((r) => r.json())
      )) as { holdout?: { member: boolean } }
      if (!drawn.holdout?.member) {
        break
      }
      await context.clearCookies()
      await joinTests()
      await page.goto(`${dev.url}/`)
    }
    const first = await hero()
    expect(STORIES).toContain(first)
    for (let i = 0; i < 3; i++) {
      await page.reload()
      expect(await hero()).toBe(first)
    }
  })

  it('finds the test in the centre with why, and leaves it', async () => {
    await page.goto(`${dev.url}/_tailor/`)
    const tests = page.locator('#tests')
    expect(await tests.innerText()).toContain(
      'Which cycling story leads the home page: because you chose Cycling.'
    )
    // One button per test the visitor is in (the demo runs several): leave the hero's.
    await tests
      .getByRole('button', { name: 'Leave this test: Which cycling story leads the home page' })
      .click()
    await page.waitForURL(/done=test-left/)
    expect(await page.getByRole('status').innerText()).toBe(
      'You left the test. That block shows its usual choice for you from now on.'
    )
    expect(await page.locator('#tests').innerText()).not.toContain('Which cycling story')
  })

  it('gets the block’s usual choice back', async () => {
    for (let i = 0; i < 3; i++) {
      await page.goto(`${dev.url}/`)
      expect(await hero()).toBe('Three passes, one gravel bike')
    }
  })
})
