// End to end, a site owner's day under `wrangler dev`: simulate a visitor, push a config to the
// local KV and see it live without a restart, and make a preview link.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevServer } from './wrangler'
import { startDev } from './wrangler'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'

const run = promisify(execFile)
const ADMIN_TOKEN = 'e2e-admin-token-0123456789'
let dev: DevServer
let state: string

beforeAll(async () => {
  state = await mkdtemp(join(tmpdir(), 'tailor-e2e-'))
  dev = await startDev(['--persist-to', state], undefined, { TAILOR_ADMIN_TOKEN: ADMIN_TOKEN })
})

afterAll(async () => {
  await dev?.stop()
  await rm(state, { recursive: true, force: true })
})

describe('a site owner under wrangler dev', () => {
  it('simulates a French visitor on a phone in the evening', async () => {
    const res = await fetch(
      `${dev.url}/?tailor-sim=country:FR,language:fr,daypart:evening,device:mobile`
    )
    const html = await res.text()
    expect(html).toContain('Bonsoir')
    expect(html).toMatch(
      /<aside class="app-banner" data-tailor="app-banner" aria-label="The Trailhead app">/
    )
    const explain = decodeURIComponent(res.headers.get('tailor-explain') ?? '')
    expect(explain).toContain(
      'greeting=fr-evening; reason="because your language is French and it is evening where you are"'
    )
    expect(explain).toMatch(
      /shipping=eu-fr; reason="because you are in the EU and your language is French"/
    )
  })

  it('pushes a config to the local KV and sees it live without a restart', async () => {
    const before = await (await fetch(`${dev.url}/_tailor/health`)).json()
    expect(before).toMatchObject({ ok: true, config: { source: 'bundled' } })
    const config = JSON.parse(await readFile('tailor.config.json', 'utf8'))
    config.slots.tagline.variants.unshift({
      id: 'pushed',
      label: 'Pushed from KV',
      when: { path: '/' },
      action: { type: 'text', text: 'Pushed live from KV' },
    })
    const file = join(state, 'pushed.json')
    await writeFile(file, JSON.stringify(config))
    await run(
      'node',
      ['scripts/run-ts.mjs', 'scripts/config-push.ts', file, '--local', '--persist-to', state],
      {
        env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
      }
    )
    // Dev mode re-reads KV every 2 s (production: 30 s), refreshing in the background.
    let html = ''
    for (let i = 0; i < 40 && !html.includes('Pushed live from KV'); i++) {
      await new Promise((r) => setTimeout(r, 250))
      html = await (await fetch(`${dev.url}/`)).text()
    }
    expect(html).toContain('<span class="tagline" data-tailor="tagline">Pushed live from KV</span>')
    const after = await (await fetch(`${dev.url}/_tailor/health`)).json()
    expect(after).toMatchObject({ ok: true, config: { source: 'kv' } })
  })

  it('makes a preview link and browses with it', async () => {
    const res = await fetch(`${dev.url}/_tailor/admin/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        context: { country: 'CH' },
        preferences: { interests: ['hiking'] },
        minutes: 5,
      }),
    })
    expect(res.status).toBe(200)
    const { url } = (await res.json()) as { url: string }
    const landing = await fetch(url, { redirect: 'manual' })
    expect(landing.status).toBe(303)
    const setCookie = landing.headers.get('set-cookie') ?? ''
    const cookie = setCookie.slice(0, setCookie.indexOf(';'))
    const page = await fetch(`${dev.url}/`, { headers: { cookie } })
    const html = await page.text()
    expect(html).toContain('id="tailor-preview"')
    expect(html).toContain('country CH · interests: hiking')
    expect(html).toMatch(/Switzerland|Schweiz|Suisse/)
    const wrong = await fetch(`${dev.url}/_tailor/admin/preview`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: '{}',
    })
    expect(wrong.status).toBe(401)
  })
})
