// The preference centre: the page, "why", every form (PRG), CSRF, open redirects, hostile values.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import demoConfig from '../../tailor.config.json'
import {
  CENTRE_CONFIG,
  CENTRE_PAGE,
  FR,
  SAME_ORIGIN,
  stateCookie,
  stateOf,
  US,
} from '../helpers/centre'
import { ENV, htmlPage, mockOrigin, ORIGIN } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: CENTRE_CONFIG })
const HERE = 'https://shop.example'

function get(
  path: string,
  headers: Record<string, string> = {},
  cf: Record<string, unknown> = US,
  env: object = ENV,
  on = app
) {
  return on.request(new Request(`${HERE}${path}`, { headers, cf } as RequestInit), undefined, env)
}

function post(
  path: string,
  body: string | Record<string, string | string[]>,
  headers: Record<string, string> = SAME_ORIGIN,
  env: object = ENV
) {
  let text: string
  if (typeof body === 'string') {
    text = body
  } else {
    const form = new URLSearchParams()
    for (const [k, v] of Object.entries(body)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        form.append(k, item)
      }
    }
    text = form.toString()
  }
  return app.request(
    new Request(`${HERE}${path}`, {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cf: US,
    } as RequestInit),
    undefined,
    env
  )
}

/** Every form control that a visitor fills in (not hidden inputs), with its id. */
function controls(html: string): string[] {
  const ids: string[] = []
  for (const m of html.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
    if (/type="hidden"/.test(m[0])) {
      continue
    }
    ids.push(/id="([^"]+)"/.exec(m[0])?.[1] ?? '(no id)')
  }
  return ids
}

/** A local time zone where it is now 19:00–19:59 (evening), from the Etc/GMT zones. */
function eveningZone(): string {
  const offset = ((19 - new Date().getUTCHours() + 36) % 24) - 12
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`
}

describe('GET /_tailor/', () => {
  it('renders without a cookie, sets none, and is never cached', async () => {
    const res = await get('/_tailor/')
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8$/i)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(html).toMatch(/^<!doctype html><html lang="en">/)
    expect(html).toContain('<title>Your personalisation · Test Shop</title>')
    expect(html).toContain('Nothing. Your browser holds no cookie of ours')
    expect(html).toContain('United States (US), outside the EU')
    expect(html).toContain('store none of them')
  })

  it('renders a choice and a boolean preference as selects, the current value selected', async () => {
    const config = {
      ...CENTRE_CONFIG,
      preferences: {
        ...CENTRE_CONFIG.preferences,
        newsletter: { type: 'boolean', label: 'Newsletter' },
      },
    }
    const cookie = await stateCookie({ prefs: { language: 'fr', newsletter: false } })
    const html = await (await get('/_tailor/', { cookie }, US, ENV, createApp({ config }))).text()
    expect(html).toContain(
      '<div class="field-group"><label class="field" for="pref-language">Language</label>' +
        '<select id="pref-language" name="language">' +
        '<option value="">Automatic (from your browser)</option>' +
        '<option value="en">English</option>' +
        '<option value="fr" selected="">Français</option></select></div>'
    )
    expect(html).toContain(
      '<div class="field-group"><label class="field" for="pref-newsletter">Newsletter</label>' +
        '<select id="pref-newsletter" name="newsletter">' +
        '<option value="">Not set</option>' +
        '<option value="true">Yes</option>' +
        '<option value="false" selected="">No</option></select></div>'
    )
  })

  it('answers with a strict Content-Security-Policy whose nonce is the stylesheet’s', async () => {
    const res = await get('/_tailor/')
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'nonce-[^']+'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/
    )
    expect(await res.text()).toContain(`<style nonce="${nonce}">`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('same-origin')
  })

  it('has a label for every control, a legend for the checkboxes, and no script', async () => {
    const html = await (await get('/_tailor/')).text()
    const ids = controls(html)
    expect(ids).toEqual([
      'pref-interests-cycling',
      'pref-interests-running',
      'pref-name',
      'pref-language',
    ])
    for (const id of ids) {
      expect(html).toMatch(new RegExp(`<label [^>]*for="${id}"`))
    }
    expect(html).toContain('<legend>Interests</legend>')
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i)
    expect(html).toContain('maxlength="40"')
  })

  it('redirects /_tailor to /_tailor/ with its query', async () => {
    const res = await get('/_tailor?from=%2F')
    expect(res.status).toBe(308)
    expect(res.headers.get('location')).toBe('/_tailor/?from=%2F')
  })

  it('shows in words everything a valid cookie holds', async () => {
    const cookie = await stateCookie({
      prefs: { interests: ['cycling', 'running'], name: 'Ana', language: 'fr' },
      consent: { signals: true, at: Math.floor(Date.now() / 1000) },
      signals: { cycling: [3, Math.floor(Date.now() / 86_400_000)] },
    })
    const html = await (await get('/_tailor/', { cookie })).text()
    expect(html).toContain('<dt>Interests</dt><dd><bdi>Cycling, Running</bdi></dd>')
    expect(html).toContain('<dt>Display name</dt><dd><bdi>Ana</bdi></dd>')
    expect(html).toContain('<dt>Language</dt><dd><bdi>Français</bdi></dd>')
    expect(html).toContain('<dt>Personalisation</dt><dd><bdi>on</bdi></dd>')
    expect(html).toMatch(
      /<dt>Reading signals<\/dt><dd><bdi>On: you agreed on \d+ \w+ \d{4}\.<\/bdi>/
    )
    expect(html).toContain('<dt>Reading scores</dt><dd><bdi>Cycling 3</bdi></dd>')
    expect(html).toContain('French, as you chose below')
    expect(html).toMatch(/It is kept until \d+ \w+ \d{4} unless you erase it\./)
    // The form shows what is stored.
    expect(html).toMatch(/id="pref-interests-cycling" name="interests" value="cycling" checked=""/)
    expect(html).toMatch(/<option value="fr" selected="">Français<\/option>/)
    expect(html).toContain('value="Ana"')
  })

  it('says an invalid cookie is ignored', async () => {
    const html = await (await get('/_tailor/', { cookie: '__Host-tailor=1.k2.e30.AAAA' })).text()
    expect(html).toContain('we could not verify')
  })

  it('shows a flash only for the fixed keys', async () => {
    expect(await (await get('/_tailor/?done=saved')).text()).toContain(
      '<p class="flash" role="status">Your preferences are saved.</p>'
    )
    const odd = await (await get('/_tailor/?done=%3Cscript%3E')).text()
    expect(odd).not.toContain('class="flash"')
    expect(odd).not.toContain('<script>')
  })

  it('says so when the browser sends GPC', async () => {
    const html = await (await get('/_tailor/', { 'sec-gpc': '1' })).text()
    expect(html).toContain('Your browser sends Global Privacy Control.')
    expect(html).toContain('no reading signals are recorded while it is on')
    const dnt = await (await get('/_tailor/', { dnt: '1' })).text()
    expect(dnt).toContain('Your browser sends Do Not Track.')
    expect(await (await get('/_tailor/', { 'sec-gpc': 'true' })).text()).not.toContain(
      'id="privacy-signal"'
    )
  })

  it('says it cannot save without a signing key, and still renders', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await get('/_tailor/', {}, US, { ORIGIN })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('This site cannot save anything right now')
  })
})

describe('why this page looks as it does', () => {
  const demo = createApp({ config: demoConfig })
  // The demo config applies to the embedded demo only (no ORIGIN), as `npm run dev` runs it.
  const DEMO_ENV = { ...ENV, ORIGIN: '' }

  it('explains each block with reasons generated from the matched rules', async () => {
    const cookie = await stateCookie({ prefs: { interests: ['cycling'] } })
    const res = await get(
      '/_tailor/?from=%2F&ref=none',
      { cookie, 'accept-language': 'fr-FR,fr;q=0.9' },
      { country: 'FR', isEUCountry: '1', timezone: eveningZone() },
      DEMO_ENV,
      demo
    )
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(html).toContain('For the page <a href="/">/</a>:')
    expect(html).toContain(
      '<span class="block">Greeting above the featured story</span>: French evening greeting, <span class="reason">because your language is French and it is evening where you are</span>.'
    )
    expect(html).toContain(
      '<span class="block">Tagline under the logo</span>: French tagline, <span class="reason">because your language is French</span>.'
    )
    expect(html).toContain(
      '<span class="block">Featured story</span>: Cycling feature for cyclists, <span class="reason">because you chose Cycling</span>.'
    )
    expect(html).toContain(
      '<span class="block">Shipping notice</span>: EU, in French, <span class="reason">because you are in the EU and your language is French</span>.'
    )
    expect(html).toMatch(
      /These blocks show the page’s own content, because no rule matched you: [^<]*App banner/
    )
    // The why-link itself is not a block the visitor asks about.
    expect(html).not.toContain('Personalised for you')
    expect(html).toContain('<a href="/">Back to the page</a>')
  })

  it('decides the page with the referrer kind and campaign the why-link carried', async () => {
    const demoSearch = await (
      await get('/_tailor/api/why?from=%2F&ref=search', {}, US, DEMO_ENV, demo)
    ).json()
    expect(demoSearch).toMatchObject({
      slots: expect.arrayContaining([
        expect.objectContaining({
          slot: 'campaign',
          variant: 'search',
          reason: 'because where you came from is a search engine',
        }),
      ]),
    })
    const spring = (await (
      await get(
        `/_tailor/api/why?from=${encodeURIComponent('/?utm_campaign=spring')}`,
        {},
        US,
        DEMO_ENV,
        demo
      )
    ).json()) as { from: string; slots: { slot: string; variant?: string }[] }
    expect(spring.from).toBe('/?utm_campaign=spring')
    expect(spring.slots.find((s) => s.slot === 'campaign')?.variant).toBe('spring-sale')
  })

  it('explains a paused visitor: every block shows its own content', async () => {
    const cookie = await stateCookie({ prefs: { interests: ['cycling'] }, paused: true })
    const html = await (await get('/_tailor/?from=%2F', { cookie }, US, DEMO_ENV, demo)).text()
    expect(html).toContain(
      'Personalisation is paused, so every block shows the page’s own content.'
    )
    expect(html).toContain('<strong>Personalisation is paused.</strong>')
  })

  it.each([
    ['another host', '//evil.example/'],
    ['a URL', 'https://evil.example/'],
    ['script', '<script>alert(1)</script>'],
    ['javascript:', 'javascript:alert(1)'],
    ['the centre itself', '/_tailor/'],
    ['10 KB', `/${'a'.repeat(10_000)}`],
  ])('refuses to explain %s, and echoes nothing of it', async (_name, from) => {
    const res = await get(`/_tailor/?from=${encodeURIComponent(from)}`)
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('That address is not a page of this site')
    expect(html).not.toContain('evil.example')
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('aaaaaaaaaa')
  })

  it('renders a strange but local path escaped', async () => {
    const from = '/"><script>alert(1)</script>'
    const html = await (await get(`/_tailor/?from=${encodeURIComponent(from)}`)).text()
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('href="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"')
  })
})

describe('POST /_tailor/preferences', () => {
  it('saves and redirects back with 303 (Post/Redirect/Get)', async () => {
    const res = await post('/_tailor/preferences', {
      interests: ['running', 'cycling'],
      name: '  Ana  ',
      language: 'fr',
      return_to: '/_tailor/?from=%2F',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/_tailor/?from=%2F&done=saved')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await stateOf(res.headers.get('set-cookie'))).toMatchObject({
      prefs: { interests: ['cycling', 'running'], name: 'Ana', language: 'fr' },
    })
  })

  it('replaces every preference: an unticked box and an empty field clear them', async () => {
    const cookie = await stateCookie({ prefs: { interests: ['cycling'], name: 'Ana' } })
    const res = await post(
      '/_tailor/preferences',
      { name: '', language: '' },
      { ...SAME_ORIGIN, cookie }
    )
    expect(res.status).toBe(303)
    expect((await stateOf(res.headers.get('set-cookie')))?.prefs).toEqual({})
  })

  it('keeps consent and signals when preferences change', async () => {
    const day = Math.floor(Date.now() / 86_400_000)
    const cookie = await stateCookie({
      prefs: {},
      consent: { signals: true, at: 5 },
      signals: { cycling: [2, day] },
    })
    const res = await post('/_tailor/preferences', { name: 'Bo' }, { ...SAME_ORIGIN, cookie })
    expect(await stateOf(res.headers.get('set-cookie'))).toMatchObject({
      prefs: { name: 'Bo' },
      consent: { signals: true, at: 5 },
      signals: { cycling: [2, day] },
    })
  })

  it.each<[string, Record<string, string | string[]>, string]>([
    ['a name too long', { name: 'x'.repeat(41) }, 'Expected at most 40 characters. Got 41.'],
    [
      'an unknown option',
      { interests: ['golf'] },
      'Expected options from &quot;cycling&quot;, &quot;running&quot;. Got &quot;golf&quot;.',
    ],
    [
      'an unknown language',
      { language: 'xx' },
      'Expected one of &quot;en&quot;, &quot;fr&quot;. Got &quot;xx&quot;.',
    ],
    [
      'bidi override characters',
      { name: 'Ana\u202egnp.exe' },
      'Expected text without control or bidirectional-override characters.',
    ],
  ])(
    'refuses %s with 400, shows the message by the field, saves nothing',
    async (_n, body, msg) => {
      const res = await post('/_tailor/preferences', { ...body, return_to: '/_tailor/?from=%2F' })
      const html = await res.text()
      expect(res.status).toBe(400)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(html).toContain('Nothing was saved: please check the fields marked below.')
      expect(html).toContain(msg)
      expect(html).toMatch(
        /aria-invalid="true"|<fieldset class="field-group" aria-describedby="pref-interests-error">/
      )
      // The page it re-renders still explains the page it was about.
      expect(html).toContain('For the page <a href="/">/</a>:')
    }
  )

  it('re-renders hostile values escaped: script, quotes, bidi, 10 KB', async () => {
    const hostile = `"><script>alert('x')</script>\u202e${'y'.repeat(10_000)}`
    const res = await post('/_tailor/preferences', { name: hostile })
    const html = await res.text()
    expect(res.status).toBe(400)
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;')
    // The bidi character appears only inside the value attribute of an input with dir="auto".
    const at = html.indexOf('\u202e')
    expect(html.lastIndexOf('<input', at)).toBeGreaterThan(html.lastIndexOf('>', at))
    expect(html).toMatch(
      /<input type="text" id="pref-name" name="name" value="[^"]*" maxlength="40" dir="auto"/
    )
  })

  it('stores a hostile but valid name and shows it escaped and isolated', async () => {
    const name = `<img src=x onerror="alert(1)">'`
    const res = await post('/_tailor/preferences', { name: name.slice(0, 40) })
    expect(res.status).toBe(303)
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const html = await (await get('/_tailor/', { cookie })).text()
    expect(html).not.toContain('<img src=x')
    expect(html).toContain(
      '<dd><bdi>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;</bdi></dd>'
    )
  })

  it('413 for a form over 16 KB, 415 for JSON', async () => {
    const big = await post('/_tailor/preferences', { name: 'x'.repeat(17_000) })
    expect(big.status).toBe(413)
    expect(big.headers.get('set-cookie')).toBeNull()
    const json = await app.request(
      `${HERE}/_tailor/preferences`,
      {
        method: 'POST',
        body: '{"name":"Ana"}',
        headers: { 'content-type': 'application/json', ...SAME_ORIGIN },
      },
      ENV
    )
    expect(json.status).toBe(415)
    expect(json.headers.get('set-cookie')).toBeNull()
  })

  it('503 without a signing key, with the reason on the page, nothing set', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await post('/_tailor/preferences', { name: 'Ana' }, SAME_ORIGIN, { ORIGIN })
    expect(res.status).toBe(503)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.text()).toContain('Nothing can be saved: this site has no valid signing key.')
  })
})

describe('pause, consent, clear and erase forms', () => {
  it('pauses and resumes, keeping the preferences', async () => {
    const cookie = await stateCookie({ prefs: { name: 'Ana' } })
    const paused = await post('/_tailor/pause', { paused: 'true' }, { ...SAME_ORIGIN, cookie })
    expect(paused.status).toBe(303)
    expect(paused.headers.get('location')).toBe('/_tailor/?done=paused')
    const state = await stateOf(paused.headers.get('set-cookie'))
    expect(state).toMatchObject({ prefs: { name: 'Ana' }, paused: true })
    const again = (paused.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const resumed = await post(
      '/_tailor/pause',
      { paused: 'false' },
      { ...SAME_ORIGIN, cookie: again }
    )
    expect(resumed.headers.get('location')).toBe('/_tailor/?done=resumed')
    const after = await stateOf(resumed.headers.get('set-cookie'))
    expect(after?.paused).toBeUndefined()
    expect(after?.prefs).toEqual({ name: 'Ana' })
  })

  it('a paused visitor gets the origin’s content on every page, and no why-link', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(CENTRE_PAGE) })
    const cookie = await stateCookie({
      prefs: { interests: ['cycling'], name: 'Ana' },
      paused: true,
    })
    const res = await get('/', { cookie, 'accept-language': 'fr' }, FR)
    const html = await res.text()
    expect(html).toContain('<h1 id="greeting">Welcome</h1>')
    expect(html).toContain('<p id="shipping">Shipping worldwide</p>')
    expect(html).toContain('<template data-tailor-variant="cycling">')
    expect(html).toContain('<p id="why"></p>')
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('grants consent, and withdrawing erases the signals at once', async () => {
    const granted = await post('/_tailor/consent', { signals: 'on' })
    expect(granted.status).toBe(303)
    expect(granted.headers.get('location')).toBe('/_tailor/?done=consent-granted')
    expect((await stateOf(granted.headers.get('set-cookie')))?.consent?.signals).toBe(true)

    const day = Math.floor(Date.now() / 86_400_000)
    const cookie = await stateCookie({
      consent: { signals: true, at: 1 },
      signals: { cycling: [4, day] },
    })
    const withdrawn = await post('/_tailor/consent', { signals: 'off' }, { ...SAME_ORIGIN, cookie })
    expect(withdrawn.headers.get('location')).toBe('/_tailor/?done=consent-withdrawn')
    const state = await stateOf(withdrawn.headers.get('set-cookie'))
    expect(state?.consent?.signals).toBe(false)
    expect(state?.signals).toBeUndefined()
  })

  it('clears the signals and keeps the consent', async () => {
    const cookie = await stateCookie({
      consent: { signals: true, at: 1 },
      signals: { cycling: [4, Math.floor(Date.now() / 86_400_000)] },
    })
    const res = await post('/_tailor/signals/clear', {}, { ...SAME_ORIGIN, cookie })
    expect(res.headers.get('location')).toBe('/_tailor/?done=signals-cleared')
    const state = await stateOf(res.headers.get('set-cookie'))
    expect(state?.signals).toBeUndefined()
    expect(state?.consent).toEqual({ signals: true, at: 1 })
  })

  it('erases everything in one click', async () => {
    const cookie = await stateCookie({ prefs: { name: 'Ana' } })
    const res = await post(
      '/_tailor/erase',
      { return_to: '/_tailor/?from=%2F' },
      { ...SAME_ORIGIN, cookie }
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/_tailor/?from=%2F&done=erased')
    expect(res.headers.get('set-cookie')).toBe(
      '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
    )
  })

  it.each([
    ['/_tailor/pause', { paused: 'maybe' }, 'Choose to pause or to resume. Nothing was changed.'],
    ['/_tailor/pause', {}, 'Choose to pause or to resume. Nothing was changed.'],
    ['/_tailor/consent', { signals: 'yes' }, 'Choose to turn reading signals on or off.'],
  ])('%s refuses %j with 400', async (path, body, message) => {
    const res = await post(path, body)
    expect(res.status).toBe(400)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(await res.text()).toContain(message)
  })
})

const FORMS: [string, Record<string, string>][] = [
  ['/_tailor/preferences', { name: 'Mallory' }],
  ['/_tailor/pause', { paused: 'true' }],
  ['/_tailor/consent', { signals: 'on' }],
  ['/_tailor/signals/clear', {}],
  ['/_tailor/erase', {}],
]

describe('cross-site requests are refused', () => {
  it.each(
    FORMS.flatMap(
      ([path, body]) =>
        [
          [path, body, { 'sec-fetch-site': 'cross-site' }],
          [path, body, { 'sec-fetch-site': 'same-site' }],
          [path, body, { origin: 'https://evil.example' }],
          [path, body, { origin: 'null' }],
          [path, body, { origin: 'http://shop.example' }],
          // None of Origin, Referer, Sec-Fetch-Site: the source cannot be established (OWASP).
          [path, body, {}],
          [path, body, { referer: 'https://evil.example/' }],
        ] as const
    )
  )('%s with %j → 403, nothing set', async (path, body, headers) => {
    const res = await post(path, body, headers)
    expect(res.status).toBe(403)
    expect(res.headers.get('set-cookie')).toBeNull()
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain('Nothing was changed.')
  })

  it.each(FORMS)(
    '%s is accepted same-origin, and from a client that sends only Origin or Referer',
    async (path, body) => {
      expect((await post(path, body)).status).toBe(303)
      expect((await post(path, body, { origin: 'https://shop.example' })).status).toBe(303)
      expect((await post(path, body, { referer: 'https://shop.example/_tailor/' })).status).toBe(
        303
      )
    }
  )
})

describe('return_to stays on this site', () => {
  it.each([
    '//evil.example/',
    '/\\evil.example/',
    '\\\\evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/..//evil.example',
    '/.//evil.example',
    ' //evil.example',
    '/x\r\nSet-Cookie: a=b',
    `/${'a'.repeat(3000)}`,
  ])('%j → the centre', async (target) => {
    const res = await post('/_tailor/pause', { paused: 'true', return_to: target })
    expect(res.status).toBe(303)
    const location = res.headers.get('location') ?? ''
    expect(location).toBe('/_tailor/?done=paused')
    expect(new URL(location, HERE).origin).toBe(HERE)
  })

  it.each<[string, string]>([
    ['/cycling/?page=2', '/cycling/?page=2'],
    ['/', '/'],
    ['/_tailor/?from=%2Fcycling%2F', '/_tailor/?from=%2Fcycling%2F&done=paused'],
  ])('%j → %j', async (target, location) => {
    const res = await post('/_tailor/pause', { paused: 'true', return_to: target })
    expect(res.headers.get('location')).toBe(location)
  })
})

describe('the “Personalised for you · why?” link (slot action `why`)', () => {
  it('links to the centre for this page when something on it was personalised', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(CENTRE_PAGE) })
    const html = await (await get('/', { 'accept-language': 'fr' })).text()
    expect(html).toContain(
      '<p id="why"><a class="tailor-why" href="/_tailor/?from=%2F&amp;ref=none">Personalised for you · why?</a></p>'
    )
  })

  it('carries the campaign and the kind of referrer, never the referring URL', async () => {
    mockOrigin({
      [`${ORIGIN}/x?utm_campaign=Spring%20Sale&utm_source=news`]: () => htmlPage(CENTRE_PAGE),
    })
    const html = await (
      await get('/x?utm_campaign=Spring%20Sale&utm_source=news', {
        'accept-language': 'fr',
        referer: 'https://www.google.com/search?q=secret',
      })
    ).text()
    expect(html).toContain(
      'href="/_tailor/?from=%2Fx%3Futm_source%3Dnews%26utm_campaign%3Dspringsale&amp;ref=search"'
    )
    expect(html).not.toContain('secret')
  })

  it('is absent when nothing on the page was personalised', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(CENTRE_PAGE) })
    const html = await (await get('/', {}, { country: 'DE', isEUCountry: '1' })).text()
    expect(html).toContain('<p id="why"></p>')
  })

  it('escapes an odd path', async () => {
    const path = '/a%22b%3Cc%3E'
    mockOrigin({ [`${ORIGIN}${path}`]: () => htmlPage(CENTRE_PAGE) })
    const html = await (await get(path, { 'accept-language': 'fr' })).text()
    expect(html).toContain('href="/_tailor/?from=%2Fa%2522b%253Cc%253E&amp;ref=none"')
  })
})

describe('brand', () => {
  it('shows the logo and allows an https logo’s origin in img-src, nothing more', async () => {
    const branded = createApp({
      config: {
        ...CENTRE_CONFIG,
        brand: { name: 'Shop', logo: 'https://cdn.example/logo.png', accent: '#ffff00' },
      },
    })
    const res = await get('/_tailor/', {}, US, ENV, branded)
    expect(res.headers.get('content-security-policy')).toContain(
      "img-src 'self' https://cdn.example;"
    )
    const html = await res.text()
    expect(html).toContain(
      '<img src="https://cdn.example/logo.png" alt="" width="40" height="40"/>'
    )
    // A yellow accent: black button labels, and links in the text colour (yellow on white is unreadable).
    expect(html).toContain('--accent: #ffff00; --on-accent: #000000;')
    expect(html).toContain('--link: #1f2328;')
  })

  it('names the site by its hostname when the config does not', async () => {
    const plain = createApp({ config: { ...CENTRE_CONFIG, brand: {} } })
    const html = await (await get('/_tailor/', {}, US, ENV, plain)).text()
    expect(html).toContain('<title>Your personalisation · shop.example</title>')
    expect(html).not.toContain('<img')
  })
})
