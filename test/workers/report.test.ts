// The experiments report through the whole app with real Durable Objects: auth, pages, exports, privacy.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { betConfig } from '../../src/experiments/fixtures'
import type { Batch } from '../../src/measure'
import { loadKeyring, signToken } from '../../src/visitor'
import { ENV } from '../helpers/origin'

const TOKEN = 'report-admin-token-0123456789'
const HERE = 'https://shop.example'
const ns = env.TAILOR_EXPERIMENTS
const E = { ...ENV, TAILOR_ADMIN_TOKEN: TOKEN, TAILOR_EXPERIMENTS: ns }
const DAY0 = 20_400 // 2025-11-08: fixed days keep the chart's labels stable.

function reportConfig() {
  const base = betConfig() as Record<string, unknown> & {
    slots: Record<string, unknown>
    experiments: Record<string, unknown>[]
  }
  base.slots = {
    ...base.slots,
    promo: {
      selector: '#promo',
      variants: [
        { id: 'a', action: { type: 'text', text: 'A' } },
        { id: 'b', action: { type: 'text', text: 'B' } },
      ],
    },
  }
  base.experiments = [
    {
      ...base.experiments[0],
      id: 'rep-hero',
      label: 'Hero <script>alert(1)</script> & "friends"',
      arms: [
        { id: 'ride', label: 'Ride <b>story</b>', weight: 1, variant: 'ride' },
        { id: 'climb', label: 'Climb story', weight: 1, variant: 'climb' },
      ],
    },
    { ...base.experiments[1], id: 'rep-small', label: 'Newsletter wording' },
    {
      id: 'rep-bandit',
      label: 'Promo bandit',
      slot: 'promo',
      status: 'running',
      unit: 'pageview',
      allocation: 'bandit',
      bandit: { everyMinutes: 15, contextBy: ['device'] },
      arms: [
        { id: 'a', weight: 1, variant: 'a' },
        { id: 'b', weight: 1, variant: 'b' },
      ],
      goals: [{ id: 'go', type: 'click', primary: true }],
    },
  ]
  return base
}

const app = createApp({ config: reportConfig() })

function rows(arm: number, day: number, metrics: Record<string, number>, cell = ''): Batch['rows'] {
  return Object.entries(metrics).map(([metric, count]) => ({
    phase: 1,
    arm,
    day,
    cell,
    metric,
    count,
    sum: count,
    sumSquares: count,
  }))
}

const get = (path: string, headers: Record<string, string> = {}) =>
  app.request(`${HERE}${path}`, { headers }, E)

async function session(now = Date.now(), purpose = 'admin-session'): Promise<string> {
  const keys = await loadKeyring(ENV.TAILOR_SECRET)
  if (!keys.ok) {
    throw new Error('no keys')
  }
  const hash = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`tailor-admin:${TOKEN}`)
  )
  const tag = [...new Uint8Array(hash).slice(0, 9)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  const value = await signToken(tag, { purpose, keyring: keys.keyring, now, ttlSeconds: 3600 })
  return `__Secure-tailor-admin=${value}`
}

beforeAll(async () => {
  // rep-hero: 7 days, visitor units, a clear SRM (1,000 against 800 at equal weights).
  const hero = ns.get(ns.idFromName('rep-hero'))
  const batch: Batch['rows'] = []
  for (let d = 0; d < 7; d++) {
    batch.push(...rows(0, DAY0 + d, { units: 143, views: 300, 'goal:story': 12, left: 1 }))
    batch.push(...rows(1, DAY0 + d, { units: 114, views: 240, 'goal:story': 16, left: 2 }))
  }
  await hero.apply({ experiment: 'rep-hero', rows: batch, pings: [] })
  // rep-small: one arm under 10 units.
  await ns.get(ns.idFromName('rep-small')).apply({
    experiment: 'rep-small',
    rows: [
      ...rows(0, DAY0, { views: 5, 'goal:join': 2 }),
      ...rows(1, DAY0, { views: 40, 'goal:join': 3 }),
    ],
    pings: [],
  })
  // rep-bandit: per-device counts past burn-in, and its spec so the store keeps weights.
  await ns.get(ns.idFromName('rep-bandit')).apply({
    experiment: 'rep-bandit',
    rows: [
      ...rows(0, DAY0, { views: 600, 'goal:go': 30 }, 'mobile'),
      ...rows(1, DAY0, { views: 600, 'goal:go': 90 }, 'mobile'),
      ...rows(0, DAY0, { views: 600, 'goal:go': 90 }, 'desktop'),
      ...rows(1, DAY0, { views: 600, 'goal:go': 30 }, 'desktop'),
    ],
    pings: [],
    bandit: {
      phase: 1,
      arms: 2,
      goal: 'goal:go',
      per: 'views',
      everyMinutes: 15,
      floor: 0.01,
      cells: true,
    },
  })
})

describe('admin auth', () => {
  it('sends a browser without a session to the login form', async () => {
    const res = await get('/_tailor/admin/experiments')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/_tailor/admin/login')
    const login = await get('/_tailor/admin/login')
    expect(login.status).toBe(200)
    expect(await login.text()).toContain('<input type="password" id="token" name="token"')
  })

  it.each([
    ['a wrong cookie', '__Secure-tailor-admin=1.k2.abc.def'],
    ['an expired cookie', 'expired'],
    ['a cookie signed for another purpose', 'preview'],
    ['the bare cookie name on https', 'bare'],
  ])('refuses %s', async (_name, kind) => {
    let cookie = kind
    if (kind === 'expired') {
      cookie = await session(Date.now() - 2 * 3600_000)
    } else if (kind === 'preview') {
      cookie = await session(Date.now(), 'preview')
    } else if (kind === 'bare') {
      cookie = (await session()).replace('__Secure-', '')
    }
    const res = await get('/_tailor/admin/experiments', { cookie })
    expect(res.status).toBe(303)
    const json = await get('/_tailor/admin/experiments.json', { cookie })
    expect(json.status).toBe(401)
  })

  it('accepts a valid session cookie, and a Bearer token for scripts', async () => {
    expect((await get('/_tailor/admin/experiments', { cookie: await session() })).status).toBe(200)
    const bearer = await get('/_tailor/admin/experiments.json', {
      authorization: `Bearer ${TOKEN}`,
    })
    expect(bearer.status).toBe(200)
    const wrong = await get('/_tailor/admin/experiments.json', {
      authorization: `Bearer ${TOKEN}x`,
    })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="tailor-admin"')
  })

  const login = (token: string, headers: Record<string, string> = {}) =>
    app.request(
      `${HERE}/_tailor/admin/login`,
      {
        method: 'POST',
        body: new URLSearchParams({ token }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      },
      E
    )

  it('posting the token once sets a short-lived, HttpOnly, Secure, SameSite=Strict cookie for /_tailor/admin', async () => {
    const res = await login(TOKEN, { 'sec-fetch-site': 'same-origin', origin: HERE })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/_tailor/admin/experiments')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(
      /^__Secure-tailor-admin=1\.k2\.[\w-]+\.[\w-]+; Path=\/_tailor\/admin; Max-Age=3600; HttpOnly; SameSite=Strict; Secure$/
    )
    const page = await get('/_tailor/admin/experiments', { cookie: cookie.split(';')[0]! })
    expect(page.status).toBe(200)
    // On plain http (local dev) the cookie cannot be Secure, so it drops the prefix too.
    const http = await app.request(
      'http://127.0.0.1:8787/_tailor/admin/login',
      {
        method: 'POST',
        body: `token=${TOKEN}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      E
    )
    expect(http.headers.get('set-cookie')).toMatch(/^tailor-admin=.*; HttpOnly; SameSite=Strict$/)
  })

  it('refuses a login body over 4 KB', async () => {
    const res = await login(`${TOKEN}${'x'.repeat(5000)}`)
    expect(res.status).toBe(413)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('refuses a wrong token, and a cross-site post even with the right one', async () => {
    const wrong = await login('not-the-token-at-all')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(await wrong.text()).toContain('That token is not right.')
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ]) {
      const res = await login(TOKEN, headers)
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
    }
  })

  it('signs out by clearing the cookie; admin is off without a token', async () => {
    const out = await app.request(`${HERE}/_tailor/admin/logout`, { method: 'POST' }, E)
    expect(out.status).toBe(303)
    expect(out.headers.get('set-cookie')).toMatch(
      /^__Secure-tailor-admin=; Path=\/_tailor\/admin; Max-Age=0/
    )
    const off = await app.request(
      `${HERE}/_tailor/admin/experiments`,
      {},
      { ...E, TAILOR_ADMIN_TOKEN: '' }
    )
    expect(off.status).toBe(503)
  })
})

describe('the report', () => {
  const page = async (path: string) => {
    const res = await get(path, { cookie: await session() })
    expect(res.status).toBe(200)
    return (await res.text()).replace(/nonce="[^"]+"/g, 'nonce="N"')
  }

  it('one experiment: stable markup, escaped labels, SRM banner, verdict held back', async () => {
    const html = await page('/_tailor/admin/experiments/rep-hero')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>story</b>')
    expect(html).toContain('Hero &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;')
    expect(html).toContain('Ride &lt;b&gt;story&lt;/b&gt;')
    expect(html).toContain(
      '<div class="alert" role="alert"><strong>Sample-ratio mismatch.</strong>'
    )
    expect(html).toContain('Check the split first')
    // The body only: the stylesheet is the centre's and changes on its own.
    expect(html.slice(html.indexOf('<body>'))).toMatchSnapshot()
  })

  it('the list shows each experiment and the holdout', async () => {
    const html = await page('/_tailor/admin/experiments')
    expect(html).toContain('href="/_tailor/admin/experiments/rep-hero"')
    expect(html).toContain('href="/_tailor/admin/experiments/_holdout"')
    expect(html).toContain('<span class="tag">bandit</span>')
  })

  it('a bandit: weights over time and per context cell', async () => {
    const html = await page('/_tailor/admin/experiments/rep-bandit')
    expect(html).toContain('Traffic share over time')
    expect(html).toMatch(/<td>desktop<\/td><td>9\d%/)
    expect(html).toMatch(/<td>mobile<\/td><td>[1-9]%/)
  })
})

describe('small counts are hidden everywhere', () => {
  it('in HTML', async () => {
    const res = await get('/_tailor/admin/experiments/rep-small', { cookie: await session() })
    const html = await res.text()
    expect(html).toContain('<td data-label="Units">&lt; 10</td>')
    expect(html).toContain('Too early to show: every arm needs at least 10 units.')
    expect(html).toContain('<td data-label="Units">40</td>')
  })

  it('in JSON, in the report and the raw totals', async () => {
    const res = await get('/_tailor/admin/experiments.json', { authorization: `Bearer ${TOKEN}` })
    const body = (await res.json()) as { experiments: typeof all; counting: unknown }
    expect(body.counting).toMatchObject({ dropped: 0 })
    const all = body.experiments as {
      id: string
      totals: { arm: number; metric: string; count: number | string }[]
      report: { goals: { arms: Record<string, unknown>[] }[]; srm: { alert: boolean } }
    }[]
    const small = all.find((e) => e.id === 'rep-small')!
    expect(small.report.goals[0]!.arms[0]).toMatchObject({
      units: '< 10',
      conversions: '< 10',
      rate: '< 10',
    })
    expect(small.report.goals[0]!.arms[1]).toMatchObject({ units: 40, conversions: 3 })
    expect(small.totals.filter((t) => t.arm === 0).map((t) => t.count)).toEqual(['< 10', '< 10'])
    expect(small.totals.find((t) => t.arm === 1 && t.metric === 'views')?.count).toBe(40)
    expect(JSON.stringify(small)).not.toMatch(/"count":[25],/)
    expect(all.find((e) => e.id === 'rep-hero')?.report.srm.alert).toBe(true)
  })

  it('in CSV', async () => {
    const res = await get('/_tailor/admin/experiments/rep-small.csv', {
      authorization: `Bearer ${TOKEN}`,
    })
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines[0]).toMatch(/^experiment,phase,goal,primary,arm,label,units,/)
    expect(lines[1], lines[1]).toBe(
      'rep-small,1,join,true,rules,rules,< 10,< 10,< 10,< 10,< 10,< 10,,,,,,< 10'
    )
    expect(lines[2]).toMatch(/^rep-small,1,join,true,origin,origin,40,40,3,0\.075,/)
  })
})
