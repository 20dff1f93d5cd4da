// The contract's edges through the whole app: cache headers, digests, validators, error answers.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { ENV, htmlPage, mockOrigin, ORIGIN, TEST_CONFIG, TEST_PAGE } from '../helpers/origin'

afterEach(() => {
  vi.restoreAllMocks()
})

const app = createApp({ config: TEST_CONFIG })
const HERE = 'https://shop.example'

function get(path: string, headers: HeadersInit = {}) {
  return app.request(new Request(`${HERE}${path}`, { headers }), undefined, ENV)
}

describe('a personalised page keeps no shared-cache field and no digest', () => {
  it('drops CDN-Cache-Control and friends, and RFC 9530 digests, from a rewritten page', async () => {
    mockOrigin({
      [`${ORIGIN}/`]: () =>
        htmlPage(TEST_PAGE, {
          'cdn-cache-control': 'max-age=3600',
          'cloudflare-cdn-cache-control': 'max-age=3600',
          'surrogate-control': 'max-age=3600',
          'content-digest': 'sha-256=:AAAA:',
          'repr-digest': 'sha-256=:AAAA:',
        }),
    })
    const res = await get('/', { 'accept-language': 'fr' })
    expect(await res.text()).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    for (const name of [
      'cdn-cache-control',
      'cloudflare-cdn-cache-control',
      'surrogate-control',
      'content-digest',
      'repr-digest',
    ]) {
      expect(res.headers.get(name), name).toBeNull()
    }
  })
})
