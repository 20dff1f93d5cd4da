// One secure-headers policy under /_tailor: the JSON API, health, text and redirects; the centre keeps its nonce.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { CENTRE_CONFIG, SAME_ORIGIN, US } from '../helpers/centre'
import { ENV } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: CENTRE_CONFIG })
const HERE = 'https://shop.example'

function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return app.request(
    new Request(`${HERE}${path}`, { method, headers, body, cf: US } as RequestInit),
    undefined,
    ENV
  )
}

function expectPolicy(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  expect(res.headers.get('referrer-policy')).toBe('same-origin')
  expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
  expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
  expect(res.headers.get('strict-transport-security')).toBeNull()
  expect(res.headers.get('cache-control')).toBe('no-store')
}

describe('one secure-headers policy for /_tailor', () => {
  it.each<[string, string, string, Record<string, string>, string | undefined, number]>([
    ['GET the JSON API', 'GET', '/_tailor/api/preferences', {}, undefined, 200],
    [
      'PUT the JSON API',
      'PUT',
      '/_tailor/api/pause',
      { ...SAME_ORIGIN, 'content-type': 'application/json' },
      '{"paused":true}',
      200,
    ],
    [
      'a refused cross-site write',
      'DELETE',
      '/_tailor/api/preferences',
      { origin: 'https://evil.example' },
      undefined,
      403,
    ],
    ['health', 'GET', '/_tailor/health', {}, undefined, 200],
    ['an unknown path', 'GET', '/_tailor/nope', {}, undefined, 404],
    ['a bad preview link (text)', 'GET', '/_tailor/preview/bad', {}, undefined, 410],
  ])('%s', async (_name, method, path, headers, body, status) => {
    const res = await call(method, path, headers, body)
    expect(res.status).toBe(status)
    expectPolicy(res)
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
  })

  it('the centre keeps its own CSP, with the stylesheet’s nonce, and the same policy', async () => {
    const res = await call('GET', '/_tailor/')
    expect(res.status).toBe(200)
    expectPolicy(res)
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(await res.text()).toContain(`<style nonce="${nonce}">`)
    expect(csp).toContain("form-action 'self'")
  })
})
