// A mocked origin: answers only the URLs a test names and fails loudly on anything else.
import { vi } from 'vitest'

export type OriginRoute = (request: Request) => Response | Promise<Response>

/**
 * Replace global fetch for this test. Every request Tailor sends upstream is recorded (with its
 * body read) so tests can assert what reached the origin.
 */
export function mockOrigin(routes: Record<string, OriginRoute>) {
  const seen: { request: Request; body: Uint8Array | undefined }[] = []
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init)
    const route = routes[request.url]
    if (!route) {
      throw new Error(`No mock found for ${request.method} ${request.url}`)
    }
    const copy = request.clone()
    const body = copy.body ? new Uint8Array(await copy.arrayBuffer()) : undefined
    seen.push({ request, body })
    return route(request)
  })
  return { seen, spy }
}

/** The test config: small, but with every action and a few conditions. */
export const TEST_CONFIG = {
  version: 1,
  locales: ['en', 'fr'],
  preferences: {
    interests: {
      type: 'set',
      label: 'Interests',
      options: { cycling: 'Cycling', running: 'Running' },
    },
    name: { type: 'text', label: 'Display name', maxLength: 40 },
  },
  segments: { cyclist: { 'prefs.interests': 'cycling' } },
  slots: {
    greeting: {
      selector: '#greeting',
      variants: [
        {
          id: 'named',
          when: { 'prefs.name': { $exists: true } },
          action: { type: 'html', html: 'Hello, <b>{{prefs.name}}</b>' },
        },
        { id: 'fr', when: { language: 'fr' }, action: { type: 'text', text: 'Bonjour' } },
      ],
    },
    hero: {
      selector: '#hero',
      variants: [
        {
          id: 'cycling',
          when: { $segment: 'cyclist' },
          action: { type: 'template', id: 'cycling' },
        },
      ],
    },
    shipping: {
      selector: '#shipping',
      variants: [
        { id: 'fr', when: { country: 'FR' }, action: { type: 'text', text: 'Livraison gratuite' } },
      ],
    },
    banner: {
      selector: '#banner',
      variants: [
        {
          id: 'mobile',
          when: { device: 'mobile' },
          action: { type: 'attributes', remove: ['hidden'] },
        },
      ],
    },
  },
} as const

export const TEST_PAGE = `<!doctype html><html><head><title>Shop</title></head><body>
<h1 id="greeting">Welcome</h1>
<section id="hero"><p>General story</p><template data-tailor-variant="cycling"><p>Cycling story</p></template></section>
<p id="shipping">Shipping worldwide</p>
<div id="banner" hidden>Get the app</div>
</body></html>`

export const ORIGIN = 'https://origin.test'

/** Bindings as in production: an ORIGIN and the test keys (k2 signs, k1 still verifies). */
export const ENV = {
  ORIGIN,
  TAILOR_SECRET: 'k2:test-secret-two-0123456789abcdef,k1:test-secret-one-0123456789abcdef',
}

/** An HTML page response as an origin sends it. */
export function htmlPage(body = TEST_PAGE, headers: HeadersInit = {}): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag: '"v1"',
      'content-length': String(new TextEncoder().encode(body).length),
      ...headers,
    },
  })
}
