// Contextual bandits on the real request path, with real Durable Objects: counts per cell, conversions in the unit's cell, draws by the cell's weights.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import type { Batch, CountRow } from '../../src/measure'
import { loadKeyring, readVisitor, writeVisitor } from '../../src/visitor'
import { ENV, htmlPage, mockOrigin, ORIGIN } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const HERE = 'https://shop.example'
const ns = env.TAILOR_EXPERIMENTS
const ADMIN = 'cells-admin-token-0123456789'
const BINDINGS = { ...ENV, TAILOR_EXPERIMENTS: ns, TAILOR_ADMIN_TOKEN: ADMIN }

const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1'
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
// The visitor's clock is the platform's timezone: UTC keeps the dayparts readable.
const CF = { country: 'US', continent: 'NA', timezone: 'UTC' }
const TODAY = Math.floor(Date.now() / 86_400_000) * 86_400_000
const at = (hours: number, minutes = 0) => TODAY + hours * 3_600_000 + minutes * 60_000

const PAGE = `<!doctype html><html><body>
<section id="hero"><p>Arm A</p><a href="/a">Go</a><template data-tailor-variant="b"><p>Arm B</p><a href="/b">Go</a></template></section>
</body></html>`
const THANKS = `<!doctype html><html><body><p>Thanks</p></body></html>`

/**
 * A site whose rules name no context field at all: whatever the bandit's cell needs must be read
 * because the experiment asks for it (the page path reads only the fields the config names).
 */
function cellsConfig(id: string, patch: Record<string, unknown>) {
  const never = { path: '/never-matches' }
  return {
    version: 1,
    locales: ['en'],
    slots: {
      hero: {
        selector: '#hero',
        // Arm A is the origin's own block, arm B the template the origin ships: both keep their
        // links in the markup the rewriter reads, so each gets its click goal's ping.
        variants: [{ id: 'b', when: never, action: { type: 'template', id: 'b' } }],
      },
    },
    experiments: [
      {
        id,
        label: 'Hero bandit',
        slot: 'hero',
        status: 'running',
        unit: 'pageview',
        allocation: 'bandit',
        bandit: { contextBy: ['device'] },
        arms: [
          { id: 'a', weight: 1, default: true },
          { id: 'b', weight: 1, variant: 'b' },
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

const contexts: ExecutionContext[] = []

async function call(app: ReturnType<typeof createApp>, request: Request) {
  const ctx = createExecutionContext()
  contexts.push(ctx)
  const res = await app.fetch(request, BINDINGS, ctx)
  return { res, body: await res.text() }
}

async function settle(): Promise<void> {
  await Promise.all(contexts.splice(0).map((ctx) => waitOnExecutionContext(ctx)))
}

function request(path: string, ua: string, init: RequestInit & { cookie?: string } = {}) {
  const headers: Record<string, string> = { 'user-agent': ua }
  if (init.cookie) {
    headers.cookie = init.cookie
  }
  return new Request(`${HERE}${path}`, {
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    cf: CF,
  } as RequestInit)
}

/** The store's rows for one experiment, once every flush has run. */
async function rows(id: string): Promise<CountRow[]> {
  await settle()
  return ns.get(ns.idFromName(id)).rows()
}

/** metric → cell → count, summed over days and arms. */
function byCell(list: readonly CountRow[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const r of list) {
    const m = (out[r.metric] ??= {})
    m[r.cell] = (m[r.cell] ?? 0) + r.count
  }
  return out
}

/** A visitor cookie that agreed to tests, signed at `now` (the app's clock, when it has one). */
async function consentingCookie(now = Date.now()): Promise<string> {
  const loaded = await loadKeyring(ENV.TAILOR_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const header = await writeVisitor(
    { prefs: {}, created: Math.floor(now / 1000) - 3600, tests: { agreed: true, at: 1 } },
    { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return header.slice(0, header.indexOf(';'))
}

describe('counts per cell on the real path', () => {
  it('a mobile request and a desktop request are counted in their own cells', async () => {
    const app = createApp({ config: cellsConfig('cells-device', {}) })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    for (let i = 0; i < 3; i++) {
      await call(app, request('/', MOBILE))
    }
    await call(app, request('/', DESKTOP))
    expect(byCell(await rows('cells-device')).views).toEqual({ mobile: 3, desktop: 1 })
  })

  it('an experiment without contextBy keeps the pooled cell ""', async () => {
    const app = createApp({
      config: cellsConfig('cells-fixed', { allocation: 'fixed', bandit: undefined }),
    })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    await call(app, request('/', MOBILE))
    await call(app, request('/', DESKTOP))
    expect(byCell(await rows('cells-fixed')).views).toEqual({ '': 2 })
  })
})

describe('conversions land in the cell of the unit’s exposure', () => {
  it('a mobile visitor enrolled in the morning: its click ping, page goal, event goal and leaving all count in mobile/morning', async () => {
    let clock = at(11, 30)
    const id = 'cells-visitor'
    const app = createApp({
      config: cellsConfig(id, {
        unit: 'visitor',
        bandit: { contextBy: ['device', 'daypart'] },
        goals: [
          { id: 'click', type: 'click', primary: true },
          { id: 'thanks', type: 'page', path: '/thanks' },
          { id: 'signup', type: 'event' },
        ],
      }),
      clock: () => clock,
    })
    mockOrigin({
      [`${ORIGIN}/`]: () => htmlPage(PAGE),
      [`${ORIGIN}/thanks`]: () => htmlPage(THANKS),
    })
    // Signed at the app's clock: signed at the wall's, the cookie was from the future (and
    // refused) whenever this test ran after 11:30 UTC.
    let cookie = await consentingCookie(clock)
    const keep = (res: Response) => {
      const set = res.headers.get('set-cookie')
      cookie = set ? set.slice(0, set.indexOf(';')) : cookie
    }
    // Enrolled on a phone in the morning; the first exposure is marked by the second view.
    let body = ''
    for (let i = 0; i < 3; i++) {
      const page = await call(app, request('/', MOBILE, { cookie }))
      keep(page.res)
      body = page.body
    }
    const ping = /<a href="\/[ab]" ping="([^"]+)"/.exec(body)?.[1]
    expect(ping).toMatch(/^\/_tailor\/ping\//)
    const keys = await loadKeyring(ENV.TAILOR_SECRET)
    const read = keys.ok
      ? await readVisitor(cookie, { name: '__Host-tailor', keyring: keys.keyring, now: clock })
      : undefined
    // [phase, arm, exposed, cell 2]: device mobile (0) × daypart morning (1), plus one.
    expect(read?.status === 'valid' && read.visitor.experiments?.[id]).toEqual([
      1,
      expect.any(Number),
      1,
      2,
    ])

    // The centre says what the cell stands for (the cookie's only new field).
    const centre = await call(app, request('/_tailor/', MOBILE, { cookie }))
    expect(centre.body).toContain('You count with everyone who joined on a phone, in the morning.')

    // The click arrives in the afternoon, from a desktop: still mobile/morning.
    clock = at(12, 10)
    const clicked = await call(
      app,
      request(ping as string, DESKTOP, {
        method: 'POST',
        body: 'PING',
        headers: { 'content-type': 'text/ping' },
      })
    )
    expect(clicked.res.status).toBe(204)
    // The page goal and the event goal in the evening, the leaving at night.
    clock = at(19)
    keep((await call(app, request('/thanks', MOBILE, { cookie }))).res)
    const event = await call(
      app,
      request('/_tailor/api/goals/signup', DESKTOP, {
        cookie,
        method: 'POST',
        headers: { 'sec-fetch-site': 'same-origin' },
      })
    )
    expect(JSON.parse(event.body)).toEqual({ counted: 1 })
    keep(event.res)
    clock = at(23)
    const left = await call(
      app,
      request(`/_tailor/api/tests/${id}`, MOBILE, {
        cookie,
        method: 'DELETE',
        headers: { 'sec-fetch-site': 'same-origin' },
      })
    )
    expect(JSON.parse(left.body)).toEqual({ left: true })

    const counted = byCell(await rows(id))
    expect(counted).toEqual({
      views: { 'mobile/morning': 3 },
      units: { 'mobile/morning': 1 },
      'goal:click': { 'mobile/morning': 1 },
      'goal:thanks': { 'mobile/morning': 1 },
      'goal:signup': { 'mobile/morning': 1 },
      left: { 'mobile/morning': 1 },
    })
  })

  it('a page-view unit’s click counts in the page view’s cell, not the ping’s', async () => {
    const app = createApp({ config: cellsConfig('cells-ping', {}) })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    const { body } = await call(app, request('/', MOBILE))
    const ping = /<a href="\/[ab]" ping="([^"]+)"/.exec(body)?.[1] as string
    const res = await call(
      app,
      request(ping, DESKTOP, {
        method: 'POST',
        body: 'PING',
        headers: { 'content-type': 'text/ping' },
      })
    )
    expect(res.res.status).toBe(204)
    expect(byCell(await rows('cells-ping'))['goal:click']).toEqual({ mobile: 1 })
  })
})

describe('assignment by the cell’s weights', () => {
  /** Rows of one cell: arm `best` converts at 20%, the other at 2%, 1,000 views each. */
  function seed(cell: string, best: number): Batch['rows'] {
    const day = Math.floor(Date.now() / 86_400_000)
    return [0, 1].flatMap((arm) =>
      Object.entries({ views: 1000, 'goal:click': arm === best ? 200 : 20 }).map(
        ([metric, count]) => ({
          phase: 1,
          arm,
          day,
          cell,
          metric,
          count,
          sum: count,
          sumSquares: count,
        })
      )
    )
  }

  it('arm B where it wins on mobile, arm A where it wins on desktop; the report shows both cells', async () => {
    const id = 'cells-draws'
    await ns.get(ns.idFromName(id)).apply({
      experiment: id,
      rows: [...seed('mobile', 1), ...seed('desktop', 0)],
      pings: [],
    })
    const app = createApp({ config: cellsConfig(id, {}) })
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(PAGE) })
    // The first flush brings the bandit's spec: the store computes each cell's weights and
    // answers with them; this isolate draws with them from then on.
    await call(app, request('/', DESKTOP))
    await settle()
    const weights = (await ns.get(ns.idFromName(id)).weights()).filter((w) => w.cell !== '')
    expect(weights.map((w) => w.cell).sort()).toEqual(['desktop', 'mobile'])

    const arms = async (ua: string) => {
      const shown = { a: 0, b: 0 }
      for (let i = 0; i < 100; i++) {
        const { body } = await call(app, request('/', ua))
        // Arm A keeps the origin's block (and its unused template); arm B replaces it.
        shown[body.includes('<section id="hero"><p>Arm B</p>') ? 'b' : 'a']++
      }
      return shown
    }
    const mobile = await arms(MOBILE)
    const desktop = await arms(DESKTOP)
    // Weights about 0.99 / 0.01 in each cell (floor 1%): 90 of 100 leaves room for chance.
    expect(mobile.b).toBeGreaterThanOrEqual(90)
    expect(desktop.a).toBeGreaterThanOrEqual(90)

    await settle()
    const report = await call(
      app,
      new Request(`${HERE}/_tailor/admin/experiments/${id}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    )
    expect(report.res.status).toBe(200)
    expect(report.body).toContain('<td>mobile</td>')
    expect(report.body).toContain('<td>desktop</td>')
  })
})
