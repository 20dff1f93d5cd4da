// The optional Analytics Engine binding through the whole app: one data point per counted event,
// indexed by experiment, with nothing about a visitor in it.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { loadKeyring, writeVisitor } from '../../src/visitor'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const HERE = 'https://shop.example'
const ns = env.TAILOR_EXPERIMENTS
// The real local dataset (miniflare's Analytics Engine simulator), bound as TAILOR_ANALYTICS by
// vitest.config.ts; the recorder below passes every point on to it, so a point the runtime
// refuses fails the test.
const real = (env as unknown as { TAILOR_ANALYTICS: AnalyticsEngineDataset }).TAILOR_ANALYTICS

const PAGE = `<!doctype html><html><body>
<section id="hero"><p>General story</p><a href="/story">Read</a><template data-tailor-variant="cycling"><p>Cycling story</p><a href="/ride">Ride</a></template></section>
</body></html>`

const ID = 'exp-analytics'
const CONFIG = {
  ...TEST_CONFIG,
  experiments: [
    {
      id: ID,
      label: 'Hero test',
      slot: 'hero',
      status: 'running',
      unit: 'visitor',
      arms: [
        { id: 'origin', weight: 1, default: true },
        { id: 'cycling', weight: 1, variant: 'cycling' },
      ],
      goals: [
        { id: 'click', type: 'click', primary: true },
        { id: 'signup', type: 'event' },
      ],
    },
  ],
}

/** The dataset the app is given: records each point, and still writes it to the real one. */
function recorder() {
  const points: AnalyticsEngineDataPoint[] = []
  const dataset: AnalyticsEngineDataset = {
    writeDataPoint(point) {
      points.push(structuredClone(point ?? {}))
      real.writeDataPoint(point)
    },
  }
  return { points, dataset }
}

const contexts: ExecutionContext[] = []

describe('Analytics Engine', () => {
  it('gets one data point per counted event, indexed by experiment, with no visitor identifier', async () => {
    expect(typeof real?.writeDataPoint).toBe('function')
    const app = createApp({ config: CONFIG })
    mockOrigin({ [`${ORIGIN}/ae`]: () => htmlPage(PAGE) })
    const { points, dataset } = recorder()
    const bindings = { ...ENV, TAILOR_EXPERIMENTS: ns, TAILOR_ANALYTICS: dataset }
    const call = async (request: Request) => {
      const ctx = createExecutionContext()
      contexts.push(ctx)
      const res = await app.fetch(request, bindings, ctx)
      return { res, body: await res.text() }
    }
    const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'
    const ip = '203.0.113.77'
    const loaded = await loadKeyring(ENV.TAILOR_SECRET)
    if (!loaded.ok) {
      throw new Error(loaded.message)
    }
    const now = Date.now()
    const header = await writeVisitor(
      { prefs: {}, created: Math.floor(now / 1000) - 3600, tests: { agreed: true, at: 1 } },
      { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
    )
    let cookie = header.slice(0, header.indexOf(';'))
    const cookies = [cookie]
    const headers = () => ({ 'user-agent': ua, 'cf-connecting-ip': ip, cookie })
    const take = (res: Response) => {
      const set = res.headers.get('set-cookie')
      if (set) {
        cookie = set.slice(0, set.indexOf(';'))
        cookies.push(cookie)
      }
    }

    // Four page views of one enrolled visitor, a click ping sent three times (two replays), and
    // an event goal posted twice (the second converts nothing).
    let ping = ''
    for (let i = 0; i < 4; i++) {
      const { res, body } = await call(new Request(`${HERE}/ae`, { headers: headers() }))
      take(res)
      ping = /ping="(\/_tailor\/ping\/[^"]+)"/.exec(body)?.[1] ?? ping
    }
    expect(ping).not.toBe('')
    for (let i = 0; i < 3; i++) {
      const { res } = await call(
        new Request(`${HERE}${ping}`, {
          method: 'POST',
          body: 'PING',
          headers: { 'content-type': 'text/ping', 'user-agent': ua, 'cf-connecting-ip': ip },
        })
      )
      expect(res.status).toBe(204)
      // Replays land in separate batches (one flush a second), as they would in production.
      await Promise.all(contexts.splice(0).map((ctx) => waitOnExecutionContext(ctx)))
    }
    for (let i = 0; i < 2; i++) {
      const { res } = await call(
        new Request(`${HERE}/_tailor/api/goals/signup`, {
          method: 'POST',
          headers: { ...headers(), 'sec-fetch-site': 'same-origin' },
        })
      )
      expect(res.status).toBe(200)
      take(res)
    }
    await Promise.all(contexts.splice(0).map((ctx) => waitOnExecutionContext(ctx)))
    const rows = await ns.get(ns.idFromName(ID)).totals()

    // One point per event: grouped like the store's rows, the counts are the store's (exact).
    const key = (phase: number, arm: number, metric: string, cell: string) =>
      `${phase}|${arm}|${metric}|${cell}`
    const fromPoints = new Map<string, number>()
    for (const p of points) {
      const [phase, arm] = p.doubles as number[]
      const [metric, cell] = p.blobs as string[]
      const k = key(phase as number, arm as number, metric as string, cell as string)
      fromPoints.set(k, (fromPoints.get(k) ?? 0) + 1)
    }
    const fromStore = new Map<string, number>()
    for (const r of rows) {
      const k = key(r.phase, r.arm, r.metric, r.cell)
      fromStore.set(k, (fromStore.get(k) ?? 0) + r.count)
    }
    expect(Object.fromEntries(fromPoints)).toEqual(Object.fromEntries(fromStore))
    const metrics = [...fromStore.keys()].map((k) => k.split('|')[2]).sort()
    expect(metrics).toEqual(expect.arrayContaining(['goal:click', 'goal:signup', 'views']))
    expect(points.filter((p) => p.blobs?.[0] === 'goal:click')).toHaveLength(1)
    expect(points.filter((p) => p.blobs?.[0] === 'goal:signup')).toHaveLength(1)
    expect(points.filter((p) => p.blobs?.[0] === 'views')).toHaveLength(4)

    // Indexed by experiment; only the metric, the cell, phase, arm and value: no visitor in it.
    for (const p of points) {
      expect(Object.keys(p).sort()).toEqual(['blobs', 'doubles', 'indexes'])
      expect(p.indexes).toEqual([ID])
      expect(p.blobs).toEqual([expect.stringMatching(/^(views|units|left|goal:[a-z]+)$/), ''])
      expect(p.doubles).toEqual([1, expect.any(Number), 1])
      expect([0, 1]).toContain(p.doubles?.[1])
    }
    const written = JSON.stringify(points)
    const token = ping.slice(ping.lastIndexOf('/') + 1)
    const nonce = JSON.parse(atob(token.split('.')[2]?.replace(/-/g, '+').replace(/_/g, '/') ?? ''))
      .d.n as string
    for (const secret of [
      ua,
      ip,
      token,
      nonce,
      ...cookies.map((c) => c.slice(c.indexOf('=') + 1)),
    ]) {
      expect(written).not.toContain(secret)
    }
  })
})
