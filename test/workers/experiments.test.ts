// Experiments through the whole app, with real Durable Objects: exposure, goals, pings, leaving, failures.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import type { ExperimentStore } from '../../src/measure'
import { loadKeyring, readVisitor, writeVisitor } from '../../src/visitor'
import type { VisitorState } from '../../src/visitor'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const HERE = 'https://shop.example'
const ns = env.TAILOR_EXPERIMENTS

const PAGE = `<!doctype html><html><body>
<section id="hero"><p>General story</p><a href="/story">Read</a><template data-tailor-variant="cycling"><p>Cycling story</p><a href="/ride">Ride</a></template></section>
<p id="shipping">Shipping worldwide</p>
</body></html>`
const NO_HERO = `<!doctype html><html><body><p id="shipping">Shipping worldwide</p></body></html>`

/** TEST_CONFIG plus one experiment on the hero (its own id per test, so counts never mix). */
function configWith(id: string, patch: Record<string, unknown> = {}) {
  return {
    ...TEST_CONFIG,
    experiments: [
      {
        id,
        label: 'Hero test',
        slot: 'hero',
        status: 'running',
        unit: 'pageview',
        arms: [
          { id: 'origin', weight: 1, default: true },
          { id: 'cycling', weight: 1, variant: 'cycling' },
        ],
        goals: [
          { id: 'click', type: 'click', primary: true },
          { id: 'signup', type: 'event' },
        ],
        ...patch,
      },
    ],
  }
}

type Bindings = typeof ENV & { TAILOR_EXPERIMENTS?: DurableObjectNamespace<ExperimentStore> }

// Every request's execution context: flushes run after the response (at most one a second per
// experiment), so tests wait for them all at once, before reading the store.
const contexts: ExecutionContext[] = []

async function call(
  app: ReturnType<typeof createApp>,
  request: Request,
  bindings: Bindings = { ...ENV, TAILOR_EXPERIMENTS: ns }
) {
  const ctx = createExecutionContext()
  contexts.push(ctx)
  const res = await app.fetch(request, bindings, ctx)
  const body = await res.text()
  return { res, body }
}

async function settle(): Promise<void> {
  await Promise.all(contexts.splice(0).map((ctx) => waitOnExecutionContext(ctx)))
}

const page = (path = '/', headers: HeadersInit = {}) =>
  new Request(`${HERE}${path}`, {
    headers: { 'user-agent': 'Mozilla/5.0 Firefox/140.0', ...headers },
  })

async function totals(id: string) {
  await settle()
  const rows = await ns.get(ns.idFromName(id)).totals()
  const sum = (metric: string) =>
    rows.filter((r) => r.metric === metric).reduce((n, r) => n + r.count, 0)
  return { rows, sum }
}

async function cookieFor(state: Partial<VisitorState>): Promise<string> {
  const loaded = await loadKeyring(ENV.TAILOR_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const now = Date.now()
  const header = await writeVisitor(
    { prefs: {}, created: Math.floor(now / 1000) - 3600, ...state },
    { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return header.slice(0, header.indexOf(';'))
}

describe('exposure', () => {
  it('counts a view only when the block is in the streamed page, once per page view', async () => {
    const app = createApp({ config: configWith('exp-present') })
    mockOrigin({
      [`${ORIGIN}/`]: () => htmlPage(PAGE),
      [`${ORIGIN}/other`]: () => htmlPage(NO_HERO),
    })
    for (let i = 0; i < 6; i++) {
      await call(app, page('/'))
    }
    for (let i = 0; i < 4; i++) {
      await call(app, page('/other'))
    }
    expect((await totals('exp-present')).sum('views')).toBe(6)
  })

  it('counts the view of a block its arm edits (seen by the edit itself, no second handler)', async () => {
    const app = createApp({
      config: configWith('exp-present-edit', {
        arms: [
          { id: 'origin', weight: 0, default: true },
          { id: 'cycling', weight: 1, variant: 'cycling' },
        ],
      }),
    })
    mockOrigin({
      [`${ORIGIN}/`]: () => htmlPage(PAGE),
      [`${ORIGIN}/other`]: () => htmlPage(NO_HERO),
    })
    for (let i = 0; i < 3; i++) {
      expect((await call(app, page('/'))).body).toContain('Cycling story')
    }
    await call(app, page('/other'))
    const { rows, sum } = await totals('exp-present-edit')
    expect(sum('views')).toBe(3)
    expect(rows.filter((r) => r.metric === 'views').every((r) => r.arm === 1)).toBe(true)
  })

  it('never counts a bot, a prefetch or a GPC request, which see the normal decision', async () => {
    const app = createApp({ config: configWith('exp-excluded') })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    const cases: Record<string, string>[] = [
      { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
      { 'sec-purpose': 'prefetch' },
      { 'sec-gpc': '1' },
    ]
    for (const headers of cases) {
      const { body } = await call(app, page('/', headers))
      expect(body).toContain('<p>General story</p>')
      expect(body).not.toContain('ping=')
    }
    expect((await totals('exp-excluded')).rows).toEqual([])
  })
})

describe('arms', () => {
  it('page-view units see both arms over many views; arms override the rules', async () => {
    const app = createApp({ config: configWith('exp-arms') })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    const seen = new Set<string>()
    for (let i = 0; i < 40; i++) {
      const { body } = await call(app, page('/'))
      seen.add(body.includes('<p>General story</p>') ? 'origin' : 'cycling')
    }
    expect([...seen].sort()).toEqual(['cycling', 'origin'])
  })

  it('a visitor unit keeps its arm in the cookie, and the first exposure counts one unit', async () => {
    const app = createApp({ config: configWith('exp-sticky', { unit: 'visitor' }) })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    let cookie = await cookieFor({ tests: { agreed: true, at: 1 } })
    const bodies = new Set<string>()
    for (let i = 0; i < 12; i++) {
      const { res, body } = await call(app, page('/', { cookie }))
      bodies.add(body.includes('<p>General story</p>') ? 'origin' : 'cycling')
      const set = res.headers.get('set-cookie')
      if (set) {
        cookie = set.slice(0, set.indexOf(';'))
      }
    }
    expect(bodies.size).toBe(1)
    const loaded = await loadKeyring(ENV.TAILOR_SECRET)
    const read = loaded.ok
      ? await readVisitor(cookie, {
          name: '__Host-tailor',
          keyring: loaded.keyring,
          now: Date.now(),
        })
      : undefined
    expect(read?.status === 'valid' && read.visitor.experiments?.['exp-sticky']).toEqual([
      1,
      expect.any(Number),
      1,
    ])
    const t = await totals('exp-sticky')
    expect(t.sum('views')).toBe(12)
    // The first view of a path in this isolate cannot be predicted; the unit counts on the next.
    expect(t.sum('units')).toBe(1)
  })
})

describe('goals', () => {
  it('a click ping counts once; a replayed, forged or expired one never', async () => {
    const app = createApp({ config: configWith('exp-ping') })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    const { body } = await call(app, page('/'))
    const url = /<a href="\/(?:story|ride)" ping="([^"]+)"/.exec(body)?.[1]
    expect(url).toMatch(/^\/_tailor\/ping\/1\.k2\./)
    const ping = (path: string) =>
      call(
        app,
        new Request(`${HERE}${path}`, {
          method: 'POST',
          body: 'PING',
          headers: { 'content-type': 'text/ping' },
        })
      )
    expect((await ping(url as string)).res.status).toBe(204)
    expect((await ping(url as string)).res.status).toBe(204)
    expect((await ping(`${(url as string).slice(0, -3)}abc`)).res.status).toBe(400)
    const t = await totals('exp-ping')
    expect(t.sum('goal:click')).toBe(1)
  })

  it("adds the click ping to a link's own ping list, escaped, once, and still counts it", async () => {
    const app = createApp({ config: configWith('exp-own-ping') })
    const own = 'https://stats.example/hit?s=1&amp;l=hero /beacon'
    // A path of its own: no origin page cached by an earlier test.
    mockOrigin({
      [`${ORIGIN}/own-ping`]: () =>
        htmlPage(
          PAGE.replace('<a href="/story">', `<a href="/story" ping="${own}">`).replace(
            '<a href="/ride">',
            `<a href="/ride" ping='/q"uoted'>`
          )
        ),
    })
    const sites = { story: own, ride: '/q&quot;uoted' }
    const arms = new Set<string>()
    let ours = ''
    // Both arms (the shown link differs); in the origin's arm the template's link gets one too.
    for (let i = 0; i < 12; i++) {
      const { body } = await call(app, page('/own-ping'))
      const links = [...body.matchAll(/<a href="\/(story|ride)"( ping="[^"]*")?>/g)]
      arms.add(links[0]?.[1] ?? '')
      expect(links.length).toBeGreaterThan(0)
      for (const [, path, attr] of links) {
        // The site's URLs first, as written, then ours, once.
        const m = / ping="(.*) (\/_tailor\/ping\/1\.k2\.[\w.-]+)"$/.exec(attr ?? '')
        expect(m?.[1]).toBe(sites[path as keyof typeof sites])
        ours = m?.[2] ?? ''
      }
    }
    expect([...arms].sort()).toEqual(['ride', 'story'])
    const res = await call(
      app,
      new Request(`${HERE}${ours}`, {
        method: 'POST',
        body: 'PING',
        headers: { 'content-type': 'text/ping' },
      })
    )
    expect(res.res.status).toBe(204)
    expect((await totals('exp-own-ping')).sum('goal:click')).toBe(1)
  })

  it('gives the links of an arm that inserts HTML their click ping, which counts for that arm', async () => {
    const lake = {
      id: 'lake',
      when: { language: 'xx' },
      action: { type: 'html', html: '<p>Lake loop</p><a href="/lake" ping="/own">Lake</a>' },
    }
    const config = {
      ...configWith('exp-html-arm', {
        arms: [
          { id: 'origin', weight: 1, default: true },
          { id: 'lake', weight: 1, variant: 'lake' },
        ],
      }),
      slots: {
        ...TEST_CONFIG.slots,
        hero: { ...TEST_CONFIG.slots.hero, variants: [...TEST_CONFIG.slots.hero.variants, lake] },
      },
    }
    const app = createApp({ config })
    mockOrigin({ [`${ORIGIN}/html-arm`]: () => htmlPage(PAGE) })
    let ping = ''
    for (let i = 0; i < 16 && !ping; i++) {
      const { body } = await call(app, page('/html-arm'))
      const link = /<a href="\/lake" ping="\/own (\/_tailor\/ping\/[^" ]+)">/.exec(body)
      if (body.includes('Lake loop')) {
        expect(link).not.toBeNull()
      }
      ping = link?.[1] ?? ''
    }
    expect(ping).not.toBe('')
    const res = await call(
      app,
      new Request(`${HERE}${ping}`, {
        method: 'POST',
        body: 'PING',
        headers: { 'content-type': 'text/ping' },
      })
    )
    expect(res.res.status).toBe(204)
    const t = await totals('exp-html-arm')
    expect(t.rows.filter((r) => r.metric === 'goal:click')).toMatchObject([{ arm: 1, count: 1 }])
  })

  it('an event goal counts once per exposed visitor unit, same origin only', async () => {
    const app = createApp({ config: configWith('exp-event', { unit: 'visitor' }) })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    let cookie = await cookieFor({ tests: { agreed: true, at: 1 } })
    for (let i = 0; i < 3; i++) {
      const set = (await call(app, page('/', { cookie }))).res.headers.get('set-cookie')
      cookie = set ? set.slice(0, set.indexOf(';')) : cookie
    }
    const post = (headers: HeadersInit) =>
      call(
        app,
        new Request(`${HERE}/_tailor/api/goals/signup`, {
          method: 'POST',
          headers: { cookie, ...headers },
        })
      )
    expect((await post({ 'sec-fetch-site': 'cross-site' })).res.status).toBe(403)
    const first = await post({ 'sec-fetch-site': 'same-origin' })
    expect(JSON.parse(first.body)).toEqual({ counted: 1 })
    const set = first.res.headers.get('set-cookie') as string
    cookie = set.slice(0, set.indexOf(';'))
    expect(JSON.parse((await post({ 'sec-fetch-site': 'same-origin' })).body)).toEqual({
      counted: 0,
    })
    expect((await totals('exp-event')).sum('goal:signup')).toBe(1)
  })
})

describe('failing open', () => {
  it('a store that fails or hangs leaves the page byte-identical to the no-experiment page', async () => {
    const same = {
      arms: [
        { id: 'a', weight: 1, rules: true },
        { id: 'b', weight: 1, default: true },
      ],
      goals: [{ id: 'signup', type: 'event', primary: true }],
    }
    const tested = createApp({ config: configWith('exp-fail', same) })
    const plain = createApp({ config: TEST_CONFIG })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    const broken = {
      idFromName: () => {
        throw new Error('store down')
      },
      get: () => undefined,
    } as unknown as DurableObjectNamespace<ExperimentStore>
    const hanging = {
      idFromName: (n: string) => ns.idFromName(n),
      get: () => ({ apply: () => new Promise(() => undefined) }),
    } as unknown as DurableObjectNamespace<ExperimentStore>
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const expected = (await call(plain, page('/'))).body
    for (const store of [broken, hanging]) {
      const ctx = createExecutionContext()
      const res = await tested.fetch(page('/'), { ...ENV, TAILOR_EXPERIMENTS: store }, ctx)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(expected)
    }
  })
})

describe('admin', () => {
  it('GET /_tailor/admin/experiments.json needs the admin token and returns the totals', async () => {
    const app = createApp({ config: configWith('exp-admin') })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    await call(app, page('/'))
    const bindings = {
      ...ENV,
      TAILOR_EXPERIMENTS: ns,
      TAILOR_ADMIN_TOKEN: 'admin-token-0123456789',
    }
    const url = `${HERE}/_tailor/admin/experiments.json`
    expect((await call(app, new Request(url), bindings)).res.status).toBe(401)
    const ok = await call(
      app,
      new Request(url, { headers: { authorization: 'Bearer admin-token-0123456789' } }),
      bindings
    )
    expect(ok.res.status).toBe(200)
    const json = JSON.parse(ok.body) as {
      experiments: { id: string; totals: { metric: string; count: number | string }[] }[]
    }
    expect(json.experiments[0]?.id).toBe('exp-admin')
    // One view is a cell under report.minCount (10): the export hides it (docs/report.md).
    expect(json.experiments[0]?.totals.find((t) => t.metric === 'views')?.count).toBe('< 10')
  })
})

describe('the visitor sees the bet (centre and API)', () => {
  const form = (path: string, fields: Record<string, string>, cookie: string) =>
    new Request(`${HERE}/_tailor${path}`, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        origin: HERE,
      },
    })

  it('"Include me in tests", the list with why, and leaving counts one `left`', async () => {
    const app = createApp({
      config: configWith('exp-leave', { unit: 'visitor', audience: { $segment: 'cyclist' } }),
    })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    let cookie = await cookieFor({ prefs: { interests: ['cycling'] } })
    const update = (res: Response) => {
      const set = res.headers.get('set-cookie')
      cookie = set ? set.slice(0, set.indexOf(';')) : cookie
    }
    // Not yet included: the centre offers the choice; no test kept.
    const before = await call(app, new Request(`${HERE}/_tailor/`, { headers: { cookie } }))
    expect(before.body).toContain('Tests you are part of')
    expect(before.body).toContain('Include me in tests')
    const agreed = await call(app, form('/tests', { tests: 'on' }, cookie))
    expect(agreed.res.status).toBe(303)
    update(agreed.res)
    for (let i = 0; i < 3; i++) {
      update((await call(app, page('/', { cookie }))).res)
    }
    const centre = await call(app, new Request(`${HERE}/_tailor/`, { headers: { cookie } }))
    expect(centre.body).toContain('<strong>Hero test</strong>: because you chose Cycling.')
    expect(centre.body).toContain('Leave this test')
    const api = JSON.parse(
      (await call(app, new Request(`${HERE}/_tailor/api/tests`, { headers: { cookie } }))).body
    )
    expect(api).toMatchObject({
      answer: 'granted',
      included: true,
      tests: [{ id: 'exp-leave', label: 'Hero test', why: 'because you chose Cycling' }],
    })
    const left = await call(app, form('/tests/leave', { test: 'exp-leave' }, cookie))
    expect(left.res.status).toBe(303)
    expect(left.res.headers.get('location')).toContain('done=test-left')
    update(left.res)
    // From now on: the slot's normal decision (the cyclist's template), nothing counted.
    const views = (await totals('exp-leave')).sum('views')
    for (let i = 0; i < 3; i++) {
      const { body } = await call(app, page('/', { cookie }))
      expect(body).toContain('<p>Cycling story</p><a href="/ride">Ride</a></section>')
    }
    const t = await totals('exp-leave')
    expect(t.sum('left')).toBe(1)
    expect(t.sum('views')).toBe(views)
    const after = await call(app, new Request(`${HERE}/_tailor/`, { headers: { cookie } }))
    expect(after.body).not.toContain('Leave this test')
  })
})
