// The respond step alone: edits (renderEdits and the tooling's), rewriter, headers, record.
import { describe, expect, it, vi } from 'vitest'
import { read } from './read'
import { editsFor, respond } from './respond'
import type { TailorState } from './state'
import { cookieFor, keyring, liveSite, NOW, request } from './fixtures'

const PAGE =
  '<html><body><h1 id="greeting">Hello</h1><div id="hero">Story</div><p id="shipping">Worldwide</p></body></html>'

function originPage(headers: Record<string, string> = {}): Response {
  return new Response(PAGE, {
    headers: {
      'content-type': 'text/html',
      'content-length': String(PAGE.length),
      etag: '"v1"',
      ...headers,
    },
  })
}

async function stateFor(
  path: string,
  headers: Record<string, string> = {},
  cf: Record<string, unknown> = {},
  withKeys = false,
  dev = false
): Promise<TailorState> {
  const state = await read({
    request: request(path, headers, cf),
    site: liveSite(),
    keyring: withKeys ? await keyring() : undefined,
    now: NOW,
    dev,
  })
  if (!state) {
    throw new Error('no state')
  }
  return state
}

describe('editsFor (renderEdits plus the tooling edits)', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>, unknown[]]>([
    ['nothing changes', {}, {}, []],
    [
      'a text and a country edit',
      { 'accept-language': 'fr' },
      { country: 'FR' },
      [
        { selector: '#greeting', slot: 'greeting', kind: 'text', text: 'Bonjour' },
        { selector: '#shipping', slot: 'shipping', kind: 'text', text: 'Livraison' },
      ],
    ],
  ])('%s', async (_name, headers, cf, expected) => {
    const state = await stateFor('/', headers, cf)
    expect(editsFor(state, request('/'))).toEqual(expected)
  })

  it('puts explain comments first when explanations are on and asked for', async () => {
    const state = await stateFor(
      '/?tailor-explain=comments',
      { 'accept-language': 'fr' },
      {},
      false,
      true
    )
    const edits = editsFor(state, request('/?tailor-explain=comments'))
    expect(edits.map((e) => e.kind)).toEqual(['comment', 'comment', 'comment', 'text'])
    expect(edits[0]).toMatchObject({ selector: '#greeting', kind: 'comment' })
  })
})

describe('respond', () => {
  it('nothing changes: the origin bytes stream through, with private caching and timing', async () => {
    const state = await stateFor('/')
    const res = await respond(state, request('/'), originPage(), {
      started: performance.now(),
      now: NOW,
    })
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new TextEncoder().encode(PAGE))
    expect(res.headers.get('content-length')).toBe(String(PAGE.length))
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(res.headers.get('server-timing')).toMatch(/^tailor;dur=\d+\.\d$/)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('edits: rewritten, and the headers that described the old bytes are gone', async () => {
    const state = await stateFor('/', { 'accept-language': 'fr' })
    const res = await respond(state, request('/'), originPage(), { started: 0, now: NOW })
    expect(await res.text()).toBe(PAGE.replace('Hello', 'Bonjour'))
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('etag')).toBeNull()
  })

  it('edits the same for everyone share one rewriter; a page in dev mode builds its own', async () => {
    // Two French visitors in France (the same two fixed edits), then two in dev mode. The states
    // first: compiling the config checks each selector with an HTMLRewriter of its own.
    const french = () => stateFor('/', { 'accept-language': 'fr' }, { country: 'FR' })
    const dev = () => stateFor('/', { 'accept-language': 'fr' }, { country: 'FR' }, false, true)
    const states = await Promise.all([french(), french(), dev(), dev()])
    const on = vi.spyOn(HTMLRewriter.prototype, 'on')
    try {
      const built: number[] = []
      for (const state of states) {
        const res = await respond(state, request('/'), originPage(), { started: 0, now: NOW })
        expect(await res.text()).toContain('<h1 id="greeting">Bonjour</h1>')
        built.push(on.mock.calls.length)
        on.mockClear()
      }
      // The first page builds the shared rewriter (2 edits), the second reuses it. Dev mode
      // explains the page, so it records what its handlers met: a rewriter per page.
      expect(built).toEqual([2, 0, 2, 2])
    } finally {
      on.mockRestore()
    }
  })

  it('record: a consented visitor on a matching path gets the updated cookie', async () => {
    const keys = await keyring()
    const cookie = await cookieFor({ consent: { signals: true, at: 1 } }, keys)
    const state = await stateFor('/cycling/', { cookie }, {}, true)
    const res = await respond(state, request('/cycling/', { cookie }), originPage(), {
      started: 0,
      now: NOW,
    })
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-tailor=1\.k1\./)
  })

  it('record: nothing with GPC, though consent was given', async () => {
    const keys = await keyring()
    const cookie = await cookieFor({ consent: { signals: true, at: 1 } }, keys)
    const state = await stateFor('/cycling/', { cookie, 'sec-gpc': '1' }, {}, true)
    const res = await respond(state, request('/cycling/', { cookie }), originPage(), {
      started: 0,
      now: NOW,
    })
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('headers: a simulation problem is reported (dev mode), printable ASCII only', async () => {
    const state = await stateFor('/?tailor-sim=country:Frankreich', {}, {}, false, true)
    const res = await respond(state, request('/'), originPage(), { started: 0, now: NOW })
    expect(res.headers.get('tailor-sim-error')).toMatch(/^country: /)
    expect(res.headers.get('tailor-explain')).not.toBeNull()
  })
})
