// The optional Analytics Engine binding as wrangler dev runs it: miniflare's local dataset, bound as
// `[[analytics_engine_datasets]]` declares it, takes the real app's points, one per counted event.
import { Miniflare } from 'miniflare'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorker } from '../../bench/lib/bundle'

const PAGE = `<!doctype html><html><body>
<section id="hero"><p>Story</p><a href="/story">Read</a></section>
</body></html>`
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36'

let dir: string
let mf: Miniflare
let url: URL

beforeAll(async () => {
  // Inside the project, as bench/ does: workerd refuses a module path that climbs out of the cwd.
  const cache = resolve('node_modules/.cache')
  await mkdir(cache, { recursive: true })
  dir = await mkdtemp(join(cache, 'tailor-ae-'))
  const script = join(dir, 'worker.js')
  await buildWorker('test/node/analytics-worker.ts', script)
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: script,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    cf: false,
    bindings: {
      ORIGIN: 'https://origin.test',
      TAILOR_SECRET: 'k1:analytics-test-secret-0123456789',
    },
    durableObjects: { TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true } },
    // What wrangler makes of `[[analytics_engine_datasets]] binding = "TAILOR_ANALYTICS"`.
    analyticsEngineDatasets: { TAILOR_ANALYTICS: { dataset: 'tailor_experiments' } },
    outboundService: (request: Request) =>
      new URL(request.url).hostname === 'origin.test'
        ? new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } })
        : new Response('no network in tests', { status: 599 }),
  })
  url = await mf.ready
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('Analytics Engine, a real local dataset', () => {
  it('takes one point per counted event from the real app, a replayed ping none', async () => {
    const pings: string[] = []
    for (let i = 0; i < 5; i++) {
      const body = await (await fetch(new URL('/', url), { headers: { 'user-agent': UA } })).text()
      pings.push(/ping="([^"]+)"/.exec(body)?.[1] ?? '')
    }
    expect(pings.every((p) => p.startsWith('/_tailor/ping/'))).toBe(true)
    // One click, sent three times (a second apart: separate batches, as in production).
    for (let i = 0; i < 3; i++) {
      const res = await fetch(new URL(pings[0] as string, url), {
        method: 'POST',
        body: 'PING',
        headers: { 'content-type': 'text/ping', 'user-agent': UA },
      })
      expect(res.status).toBe(204)
      await new Promise((r) => setTimeout(r, 1100))
    }
    const { bound, points } = (await (await fetch(new URL('/__test/points', url))).json()) as {
      bound: string
      points: { indexes: string[]; blobs: string[]; doubles: number[] }[]
    }
    expect(bound).toBe('function')
    const metrics = points.map((p) => p.blobs[0]).sort()
    expect(metrics).toEqual(['goal:click', 'views', 'views', 'views', 'views', 'views'])
    for (const p of points) {
      expect(p.indexes).toEqual(['ae-real'])
      expect(p.blobs[1]).toBe('')
      expect(p.doubles).toEqual([1, expect.any(Number), 1])
    }
  }, 60_000)
})
