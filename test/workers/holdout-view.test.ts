// The holdout draw is kept in the visitor's cookie, so the centre and its JSON API show it: a
// held-out visitor was told "You are in no test that keeps anything in your cookie".
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { visitorCookie } from '../helpers/visitor'

const fetchWorker = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`https://demo.example${path}`, init))

/** A cyclist who agreed to tests an hour ago, with the demo's holdout draw `member` (phase 1). */
function cookieFor(member: 0 | 1): Promise<string> {
  const at = Math.floor(Date.now() / 1000) - 3600
  return visitorCookie(
    { interests: ['cycling'] },
    {
      created: at,
      state: { tests: { agreed: true, at }, experiments: {}, holdout: [1, member, 0] },
    }
  )
}

describe('the holdout draw, in the centre and the API', () => {
  it('tells a held-out visitor so, in the centre (through the page worker) and as JSON', async () => {
    const cookie = await cookieFor(1)
    const centre = await (await fetchWorker('/_tailor/', { headers: { cookie } })).text()
    expect(centre).toContain('You are in the holdout: like 5% of visitors')
    expect(centre).not.toContain('You are in no test that keeps anything in your cookie.')
    const api = await fetchWorker('/_tailor/api/tests', { headers: { cookie } })
    expect(((await api.json()) as { holdout?: unknown }).holdout).toEqual({
      member: true,
      percent: 5,
    })
  })

  it('tells a visitor who was drawn out of the holdout that the cookie keeps that draw', async () => {
    const cookie = await cookieFor(0)
    const centre = await (await fetchWorker('/_tailor/', { headers: { cookie } })).text()
    expect(centre).toContain('you are not among the 5% of visitors')
    const api = await fetchWorker('/_tailor/api/tests', { headers: { cookie } })
    expect(((await api.json()) as { holdout?: unknown }).holdout).toEqual({
      member: false,
      percent: 5,
    })
  })

  it('says nothing of a holdout to a visitor whose cookie keeps no draw', async () => {
    const at = Math.floor(Date.now() / 1000) - 3600
    const cookie = await visitorCookie({ interests: ['cycling'] }, { created: at })
    const centre = await (await fetchWorker('/_tailor/', { headers: { cookie } })).text()
    expect(centre).not.toContain('holdout')
    expect(centre).toContain('You are in no test that keeps anything in your cookie.')
  })
})
