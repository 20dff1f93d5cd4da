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

describe("Tailor's own error answers", () => {
  function expectErrorAnswer(res: Response, status: number) {
    expect(res.status).toBe(status)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  }

  it('a loop back to Tailor is a 508, never stored, naming no internals', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await get('/', { 'x-tailor-via': '1' })
    expectErrorAnswer(res, 508)
    expect(res.headers.get('retry-after')).toBeNull()
    const text = await res.text()
    expect(text.length).toBeLessThan(100)
    expect(text).not.toMatch(/ORIGIN|worker|http/)
  })

  it('a bad ORIGIN is a 502 without Retry-After (it will not pass by waiting)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await app.request(`${HERE}/`, {}, { ...ENV, ORIGIN: 'ftp://nope.example' })
    expectErrorAnswer(res, 502)
    expect(res.headers.get('retry-after')).toBeNull()
    expect(await res.text()).not.toContain('ftp://')
  })

  it('no ORIGIN and no demo site is a 502, never stored', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const res = await app.request(`${HERE}/`, {}, { TAILOR_SECRET: ENV.TAILOR_SECRET })
    expectErrorAnswer(res, 502)
  })

  it('an unexpected error is a 500, never stored', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    // An origin answer that breaks Tailor's own code (its headers throw when read).
    const hostile = {
      status: 200,
      get headers(): Headers {
        throw new Error('secret internals')
      },
    } as unknown as Response
    mockOrigin({ [`${ORIGIN}/boom`]: () => hostile })
    const res = await get('/boom')
    expectErrorAnswer(res, 500)
    expect(await res.text()).toBe('Internal error.')
  })
})

describe('Content-Encoding the runtime did not decode', () => {
  it.each(['GZIP', 'gzip, br', 'x-gzip'])(
    '%s passes through byte for byte, headers included',
    async (coding) => {
      // What the origin sent, still encoded: workerd decodes only an exact "gzip" or "br".
      const bytes = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xb3, 0x51, 0xc8])
      const headers = {
        'content-type': 'text/html; charset=utf-8',
        'content-encoding': coding,
        'content-length': String(bytes.length),
        'cache-control': 'public, max-age=60',
        etag: '"z"',
      }
      mockOrigin({ [`${ORIGIN}/z`]: () => new Response(bytes, { headers }) })
      const res = await get('/z', { 'accept-language': 'fr' })
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
      expect(Object.fromEntries(res.headers)).toEqual(headers)
    }
  )

  it('identity is no coding at all: the page is personalised', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(TEST_PAGE, { 'content-encoding': 'identity' }) })
    const res = await get('/', { 'accept-language': 'fr' })
    expect(await res.text()).toContain('<h1 id="greeting">Bonjour</h1>')
  })
})

describe('/.well-known/gpc.json lastUpdate', () => {
  it('serves consent.gpcLastUpdate as lastUpdate', async () => {
    const dated = createApp({
      config: { ...TEST_CONFIG, consent: { gpcLastUpdate: '2026-11-01' } },
    })
    const res = await dated.request(`${HERE}/.well-known/gpc.json`, {}, ENV)
    expect(await res.json()).toEqual({ gpc: true, lastUpdate: '2026-11-01' })
  })

  it('the demo config sets it', async () => {
    const demo = (await import('../../tailor.config.json')).default
    // The demo config serves the demo only (no ORIGIN): in front of another site it stays out.
    const res = await createApp({ config: demo }).request(
      `${HERE}/.well-known/gpc.json`,
      {},
      {
        ...ENV,
        ORIGIN: '',
      }
    )
    const body = (await res.json()) as { lastUpdate?: string }
    expect(body.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})

describe('conditional requests', () => {
  /** An origin that honours If-None-Match against ETag "v1", as a well-behaved server does. */
  function honouringOrigin(path: string, body = TEST_PAGE, headers: HeadersInit = {}) {
    return mockOrigin({
      [`${ORIGIN}${path}`]: (request) =>
        request.headers.get('if-none-match') === '"v1"'
          ? new Response(null, { status: 304, headers: { etag: '"v1"', ...headers } })
          : htmlPage(body, headers),
    })
  }

  it('a personalised page is never a 304: the conditions do not reach the origin', async () => {
    const { seen } = honouringOrigin('/')
    const res = await get('/', { 'accept-language': 'fr', 'if-none-match': '"v1"' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(res.headers.get('etag')).toBeNull()
    expect(res.headers.get('last-modified')).toBeNull()
    expect(seen[0]?.request.headers.get('if-none-match')).toBeNull()
  })

  it('the same with If-Modified-Since: the personalised page comes whole', async () => {
    const lastModified = 'Tue, 01 Jan 2030 00:00:00 GMT'
    const { seen } = mockOrigin({
      [`${ORIGIN}/`]: () => htmlPage(TEST_PAGE, { 'last-modified': lastModified }),
    })
    const res = await get('/', { 'accept-language': 'fr', 'if-modified-since': lastModified })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Bonjour')
    expect(res.headers.get('last-modified')).toBeNull()
    expect(seen[0]?.request.headers.get('if-modified-since')).toBeNull()
  })

  it('an untouched page: the conditions reach the origin and its 304 passes on, bodiless', async () => {
    const { seen } = honouringOrigin('/')
    const res = await get('/', { 'if-none-match': '"v1"' })
    expect(seen[0]?.request.headers.get('if-none-match')).toBe('"v1"')
    expect(res.status).toBe(304)
    expect(res.body).toBeNull()
    expect(res.headers.get('etag')).toBe('"v1"')
  })

  it('an untouched page from an origin that ignores conditions: a proper 304 from its ETag', async () => {
    mockOrigin({ [`${ORIGIN}/`]: () => htmlPage(TEST_PAGE, { etag: 'W/"v1"' }) })
    const res = await get('/', { 'if-none-match': '"v0", "v1"' })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('etag')).toBe('W/"v1"')
    expect(res.headers.get('content-length')).toBeNull()
    const stale = await get('/', { 'if-none-match': '"v0"' })
    expect(stale.status).toBe(200)
    expect(await stale.text()).toBe(TEST_PAGE)
  })

  it('an image for a visitor with edits: fetched whole, then confirmed from its validators', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
    const { seen } = mockOrigin({
      [`${ORIGIN}/logo.png`]: () =>
        new Response(png, { headers: { 'content-type': 'image/png', etag: '"img"' } }),
    })
    const res = await get('/logo.png', { 'accept-language': 'fr', 'if-none-match': '"img"' })
    expect(seen[0]?.request.headers.get('if-none-match')).toBeNull()
    expect(res.status).toBe(304)
    expect(res.body).toBeNull()
  })

  it('never a 304 with a body, and never a 304 without a validator', async () => {
    // The reported case: an HTML page with an ETag, asked for conditionally, every way round.
    const page = TEST_PAGE.padEnd(1810, ' ')
    for (const headers of <Record<string, string>[]>[
      { 'if-none-match': '"v1"' },
      { 'if-none-match': '"v1"', 'accept-language': 'fr' },
      { 'if-none-match': '*' },
      { 'if-none-match': '*', 'accept-language': 'fr' },
      { 'if-modified-since': 'Tue, 01 Jan 2030 00:00:00 GMT' },
    ]) {
      vi.restoreAllMocks()
      mockOrigin({
        [`${ORIGIN}/`]: () => htmlPage(page, { 'last-modified': 'Mon, 01 Jan 2029 00:00:00 GMT' }),
      })
      const res = await get('/', headers)
      const text = await res.text()
      if (res.status === 304) {
        expect(text, JSON.stringify(headers)).toBe('')
        expect(res.headers.get('etag') ?? res.headers.get('last-modified')).not.toBeNull()
      } else {
        expect(res.status).toBe(200)
        expect(text.length).toBeGreaterThan(1000)
      }
      expect(res.status === 304).toBe(headers['accept-language'] === undefined)
    }
  })
})

describe('a charset declared only in the markup', () => {
  /** The page's bytes streamed in pieces of `size` bytes, with no charset in Content-Type. */
  function streamedPage(page: Uint8Array, size: number): Response {
    let at = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= page.length) {
          controller.close()
          return
        }
        controller.enqueue(page.slice(at, at + size))
        at += size
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/html' } })
  }

  const withHead = (head: string) => TEST_PAGE.replace('<head>', `<head>${head}`)

  // "こんにちは" in Shift_JIS, and "café" in windows-1252: not UTF-8 bytes.
  const SJIS = new Uint8Array([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd])
  const CP1252 = new Uint8Array([0x63, 0x61, 0x66, 0xe9])
  function legacyPage(head: string, text: Uint8Array): Uint8Array {
    const [before = '', after = ''] = withHead(head).split('Welcome')
    const a = new TextEncoder().encode(before)
    const b = new TextEncoder().encode(after)
    const out = new Uint8Array(a.length + text.length + b.length)
    out.set(a)
    out.set(text, a.length)
    out.set(b, a.length + text.length)
    return out
  }

  it.each<[string, Uint8Array, number]>([
    ['Shift_JIS meta, whole', legacyPage('<meta charset="Shift_JIS">', SJIS), 1 << 20],
    ['Shift_JIS meta, 7-byte chunks', legacyPage('<meta charset="Shift_JIS">', SJIS), 7],
    [
      'windows-1252 http-equiv, 3-byte chunks',
      legacyPage(
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        CP1252
      ),
      3,
    ],
  ])('%s: passes through byte for byte, headers included', async (_name, page, size) => {
    mockOrigin({ [`${ORIGIN}/legacy`]: () => streamedPage(page, size) })
    const res = await get('/legacy', { 'accept-language': 'fr' })
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(page)
    expect(Object.fromEntries(res.headers)).toEqual({ 'content-type': 'text/html' })
  })

  it.each<[string, string, number]>([
    ['a UTF-8 meta', withHead('<meta charset="utf-8">'), 5],
    ['no meta', TEST_PAGE, 5],
  ])('%s: personalised as before', async (_name, page, size) => {
    mockOrigin({ [`${ORIGIN}/page`]: () => streamedPage(new TextEncoder().encode(page), size) })
    const res = await get('/page', { 'accept-language': 'fr' })
    expect(await res.text()).toBe(page.replace('Welcome', 'Bonjour'))
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })
})

// Beware: in the HTMLRewriter case workerd logs the origin's error once more as an "uncaught
// exception (in promise)" from inside its own transform; the client's stream still fails.
describe('an origin that fails mid-body', () => {
  /** A page that sends its first half, then errors (a reset upstream). */
  function failingPage(contentType: string, padding = 2000): Response {
    const half = new TextEncoder().encode(TEST_PAGE.slice(0, 200) + ' '.repeat(padding))
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) {
          controller.error(new Error('Network connection lost.'))
          return
        }
        sent = true
        controller.enqueue(half)
      },
    })
    return new Response(body, { headers: { 'content-type': contentType } })
  }

  it.each<[string, string, Record<string, string>, number?]>([
    [
      'personalised, charset in the header',
      'text/html; charset=utf-8',
      { 'accept-language': 'fr' },
    ],
    ['personalised, charset prescanned', 'text/html', { 'accept-language': 'fr' }],
    ['personalised, fails within the prescan', 'text/html', { 'accept-language': 'fr' }, 10],
    ['untouched', 'text/html; charset=utf-8', {}],
  ])('%s: the body fails too, never a clean short page', async (_name, type, headers, padding) => {
    mockOrigin({ [`${ORIGIN}/cut`]: () => failingPage(type, padding) })
    const res = await get('/cut', headers)
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
  })
})
