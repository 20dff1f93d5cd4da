// The demo's report can be believed: in every arm of every click-goal experiment, a visitor has a link to follow, and following it counts.
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { compileConfig } from '../../src/config'
import { PING_PATH, readPing } from '../../src/experiments'
import { loadKeyring } from '../../src/visitor'
import type { StoredAssignment } from '../../src/visitor'
import demoConfig from '../../tailor.config.json'
import { ENV } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

const compiled = compileConfig(demoConfig)
if (!compiled.ok) {
  throw new Error(`the demo config does not compile: ${JSON.stringify(compiled.issues)}`)
}
const experiments = compiled.compiled.experiments
const tested = experiments.filter(
  (e) => e.status === 'running' && e.goals.some((g) => g.type === 'click')
)
const ns = env.TAILOR_EXPERIMENTS
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'

const fetchWorker = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`https://demo.example${path}`, init))

/**
 * A cyclist who agreed to tests, is not held out, and holds `arm` in every visitor-unit experiment
 * (an arm index past an experiment's last is dropped by the worker and drawn again).
 */
function cookieFor(arm: number): Promise<string> {
  const arms: Record<string, StoredAssignment> = {}
  for (const e of experiments) {
    if (e.unit === 'visitor' && arm < e.arms.length) {
      arms[e.id] = [e.phase, arm, 0]
    }
  }
  return visitorCookie(
    { interests: ['cycling'] },
    {
      created: Math.floor(Date.now() / 1000) - 3600,
      state: {
        tests: { agreed: true, at: Math.floor(Date.now() / 1000) - 3600 },
        experiments: arms,
        holdout: [1, 0, 0],
      },
    }
  )
}

/** Each link of the page (its href) with the click pings its `ping` carries, read and verified. */
async function pingedLinks(html: string) {
  const keys = await loadKeyring(ENV.TAILOR_SECRET)
  if (!keys.ok) {
    throw new Error(keys.message)
  }
  const links = [...html.matchAll(/<a\s[^>]*>/g)].map((m) => m[0])
  return Promise.all(
    links.map(async (tag) => {
      const href = /\shref="([^"]*)"/.exec(tag)?.[1]
      const urls = (/\sping="([^"]*)"/.exec(tag)?.[1] ?? '').split(/\s+/)
      const pings = await Promise.all(
        urls
          .filter((u) => u.startsWith(PING_PATH))
          .map(async (url) => {
            const read = await readPing(
              url.slice(PING_PATH.length),
              experiments,
              keys.keyring,
              Date.now()
            )
            return read && { url, ...read }
          })
      )
      return { href, pings: pings.filter((p) => p !== undefined) }
    })
  )
}

/** The goal counts of an experiment's store, per arm. */
async function clicksPerArm(id: string, metric: string): Promise<number[]> {
  const rows = await ns.get(ns.idFromName(id)).totals()
  const out: number[] = []
  for (const row of rows.filter((r) => r.metric === metric)) {
    out[row.arm] = (out[row.arm] ?? 0) + row.count
  }
  return out
}

describe('the demo, arm by arm', () => {
  it('runs click goals the report shows', () => {
    expect(tested.map((e) => e.id).sort()).toEqual([
      'hero-cyclists',
      'newsletter-wording',
      'offer-box',
      'picks-order',
    ])
  })

  it('gives every arm of every click-goal experiment a link carrying its ping, which counts', async () => {
    const followed: { id: string; arm: number; metric: string; url: string }[] = []
    for (const exp of tested) {
      const goal = exp.goals.find((g) => g.type === 'click')
      for (let arm = 0; arm < exp.arms.length; arm++) {
        const cookie = await cookieFor(arm)
        // A visitor unit holds its arm; a page-view unit draws one per view (1 in 2^-63 to miss).
        let found: { href: string | undefined; url: string }[] = []
        for (let view = 0; view < 64 && !found.length; view++) {
          const res = await fetchWorker('/', { headers: { cookie, 'user-agent': BROWSER } })
          expect(res.status).toBe(200)
          const links = await pingedLinks(await res.text())
          found = links.flatMap((link) =>
            link.pings
              .filter((p) => p.experiment === exp.id && p.arm === arm)
              .map((p) => {
                expect(p.metric).toBe(`goal:${goal?.id}`)
                return { href: link.href, url: p.url }
              })
          )
          if (exp.unit === 'visitor') {
            break
          }
        }
        const label = `${exp.id} arm ${arm} (${exp.arms[arm]?.id})`
        expect(found.length, label).toBeGreaterThan(0)
        // Somewhere to go: a page of the site, not an empty or same-page link.
        expect(found[0]?.href, label).toMatch(/^\/[^#]/)
        followed.push({ id: exp.id, arm, metric: `goal:${goal?.id}`, url: found[0]?.url ?? '' })
      }
    }
    const before = new Map<string, number[]>()
    for (const { id, metric } of followed) {
      before.set(id, await clicksPerArm(id, metric))
    }
    for (const { url } of followed) {
      const res = await fetchWorker(url, {
        method: 'POST',
        body: 'PING',
        headers: {
          'content-type': 'text/ping',
          'ping-to': 'https://demo.example/',
          'user-agent': BROWSER,
        },
      })
      expect(res.status, url).toBe(204)
      await res.body?.cancel()
    }
    // Counts reach the store after the response (batched, about once a second per experiment).
    const counted = async () => {
      for (const { id, arm, metric } of followed) {
        const now = await clicksPerArm(id, metric)
        if ((now[arm] ?? 0) <= (before.get(id)?.[arm] ?? 0)) {
          return `${id} arm ${arm}`
        }
      }
      return 'all'
    }
    let missing = await counted()
    for (let i = 0; i < 50 && missing !== 'all'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      missing = await counted()
    }
    expect(missing).toBe('all')
  })
})
