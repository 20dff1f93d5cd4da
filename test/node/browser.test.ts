// Real Chromium (Debian's package, driven by playwright-core) against `wrangler dev`: a visitor
// uses the preference centre, reads "why", grants consent, browses, turns GPC on, and erases.
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from './wrangler'
import { startDev } from './wrangler'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
/** Screenshots land here (git-ignored); CI keeps them as artifacts. */
export const ARTIFACTS = resolve('test-results')

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM}. Install it with ` +
      '`apt-get install -y chromium` (or set CHROMIUM_PATH); under CI=true they always run.'
  )
}

// Under CI the tests run whatever happens: a missing browser is a failure there, not a skip.
describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('a visitor in real Chromium', () => {
  let dev: DevServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    dev = await startDev()
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
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } })
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await dev?.stop()
  })

  const hero = () => page.locator('[data-tailor="hero"] h1').innerText()
  const tailorCookies = async () =>
    (await context.cookies(dev.url)).filter((c) => c.name === '__Host-tailor')

  it('sees the demo with no cookie set', async () => {
    const res = await page.goto(`${dev.url}/`)
    expect(res?.status()).toBe(200)
    expect(await hero()).toBe('Twelve small adventures for longer days')
    expect(await tailorCookies()).toEqual([])
  })

  it('goes to the centre, picks an interest, returns and sees the block change', async () => {
    await page.getByRole('link', { name: 'Your personalisation settings' }).click()
    await page.waitForURL(/\/_tailor\/\?from=%2F|\/_tailor\/\?from=\//)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your personalisation')
    await page.getByLabel('Cycling').check()
    await page.getByLabel('Display name').fill('Ana')
    await page.getByRole('button', { name: 'Save preferences' }).click()
    await page.waitForURL(/done=saved/)
    expect(await page.getByRole('status').innerText()).toBe('Your preferences are saved.')
    expect(await tailorCookies()).toHaveLength(1)

    await page.getByRole('link', { name: 'Back to the page' }).click()
    await page.waitForURL(`${dev.url}/`)
    expect(await hero()).toBe('Three passes, one gravel bike')
    expect(await page.locator('#picks h2').innerText()).toBe('Recommended for Ana')
  })

  it('opens “why?” and reads the reason', async () => {
    await page.getByRole('link', { name: 'Personalised for you · why?' }).click()
    await page.waitForURL(/\/_tailor\/\?from=/)
    const why = page.locator('#why')
    expect(await why.innerText()).toContain(
      'Featured story: Cycling feature for cyclists, because you chose Cycling.'
    )
    expect(await why.innerText()).toContain(
      'Shipping notice: United States, because your country is United States.'
    )
  })

  it('grants consent, browses two cycling pages and sees a signal-based block', async () => {
    await page.getByRole('button', { name: 'Turn on reading signals' }).click()
    await page.waitForURL(/done=consent-granted/)
    expect(await page.getByRole('status').innerText()).toBe('Thank you. Reading signals are on.')

    await page.goto(`${dev.url}/cycling/`)
    await page.getByRole('link', { name: 'Gravel riding: the basics' }).first().click()
    await page.waitForURL(`${dev.url}/cycling/gravel-basics/`)
    await page.goto(`${dev.url}/`)
    const reading = page.locator('[data-tailor="reading"]')
    expect(await reading.innerText()).toContain('BECAUSE YOU’VE BEEN READING ABOUT CYCLING')
    // Cycling stories other than the one read and the one featured above.
    expect(await reading.getByRole('link').count()).toBe(2)

    await page.goto(`${dev.url}/_tailor/?from=/`)
    expect(await page.locator('#signals').innerText()).toMatch(/Cycling\s+score 2/)
    expect(await page.locator('#why').innerText()).toContain(
      'Reading suggestions: More cycling stories, because your reading score for Cycling is 2 or more.'
    )
    await page.screenshot({ path: resolve(ARTIFACTS, 'centre.png'), fullPage: true })
  })

  it('turns GPC on and sees no signals recorded', async () => {
    await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' })
    const before = (await tailorCookies())[0]?.value
    const res = await page.goto(`${dev.url}/cycling/`)
    expect(res?.status()).toBe(200)
    expect(await res?.headerValue('set-cookie')).toBeNull()
    expect((await tailorCookies())[0]?.value).toBe(before)

    await page.goto(`${dev.url}/_tailor/`)
    expect(await page.locator('#privacy-signal').innerText()).toContain(
      'Your browser sends Global Privacy Control.'
    )
    expect(await page.locator('#signals').innerText()).toMatch(/Cycling\s+score 2/)
    expect(await page.locator('#signals').innerText()).toContain(
      'Nothing new is recorded while your browser sends Global Privacy Control.'
    )
    await page.screenshot({ path: resolve(ARTIFACTS, 'centre-gpc.png'), fullPage: true })
    await context.setExtraHTTPHeaders({})
  })

  it('erases everything and sees the defaults', async () => {
    await page.goto(`${dev.url}/_tailor/`)
    await page.getByRole('button', { name: 'Erase everything' }).click()
    await page.waitForURL(/done=erased/)
    expect(await page.getByRole('status').innerText()).toBe(
      'Everything is erased. Your browser holds no personalisation cookie from Trailhead now.'
    )
    expect(await tailorCookies()).toEqual([])
    expect(await page.locator('#stored-title + p').innerText()).toMatch(/^Nothing\./)

    await page.goto(`${dev.url}/`)
    expect(await hero()).toBe('Twelve small adventures for longer days')
    expect(await page.locator('[data-tailor="reading"]').innerHTML()).toBe('')
    expect(await page.locator('#picks h2').innerText()).toBe('Popular this week')
  })

  it('reaches every control from the keyboard, in order', async () => {
    await page.goto(`${dev.url}/_tailor/`)
    const reached: string[] = []
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      reached.push(
        await page.evaluate(() => {
          // Runs in the page, where `document` exists (this file is typed for Node).
          type Focused = { tagName: string; id: string; textContent: string | null }
          const el = (globalThis as unknown as { document: { activeElement: Focused | null } })
            .document.activeElement
          const name = el?.id || el?.textContent?.trim().slice(0, 30) || ''
          return el ? `${el.tagName.toLowerCase()}#${name}` : ''
        })
      )
    }
    const order = [
      'input#pref-interests-cycling',
      'input#pref-name',
      'select#pref-language',
      'button#Save preferences',
      'button#Turn on reading signals',
      'button#Pause personalisation',
      'button#Erase everything',
    ].map((control) => reached.indexOf(control))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('works without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false })
    const p = await noJs.newPage()
    await p.goto(`${dev.url}/_tailor/`)
    await p.getByLabel('Running').check()
    await p.getByRole('button', { name: 'Save preferences' }).click()
    await p.waitForURL(/done=saved/)
    await p.goto(`${dev.url}/`)
    expect(await p.locator('[data-tailor="hero"] h1').innerText()).toBe(
      'What nobody tells you about your first trail ultra'
    )
    await noJs.close()
  })
})
