// The page path alone (pagePath().serve), with a stub origin: when the read step runs, and what
// it hands the one who asks the origin.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { OriginAsk, OwnRoutes, PageRequest } from './pages'
import { pagePath } from './pages'

const CONFIG = {
  version: 1,
  locales: ['en', 'fr'],
  slots: {
    greeting: {
      selector: '#greeting',
      variants: [{ id: 'fr', when: { language: 'fr' }, action: { type: 'text', text: 'Bonjour' } }],
    },
  },
}

const PAGE = '<html><body><h1 id="greeting">Hello</h1></body></html>'

const noRoutes = (): OwnRoutes => ({
  fetch: () => new Response('own route', { status: 418 }),
})

/** A French browser's GET, the origin's answer, and what the origin was asked. */
function visit(origin: () => Response, headers: Record<string, string> = {}) {
  const asks: OriginAsk[] = []
  const page: PageRequest = {
    request: new Request('https://shop.example/item', {
      headers: { 'accept-language': 'fr', ...headers },
    }),
    env: undefined,
    ctx: undefined,
    upstream: async (ask) => {
      asks.push(ask)
      return origin()
    },
  }
  return { page, asks }
}

const html = () => new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } })
const css = () => new Response('h1{color:red}', { headers: { 'content-type': 'text/css' } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('pagePath: the read step', () => {
  it('is not run for a response that is not a page (an asset streams through unread)', async () => {
    const { serve } = pagePath({ config: CONFIG }, noRoutes)
    const { page } = visit(css)
    const reads = vi.spyOn(Headers.prototype, 'get')
    const res = await serve(page)
    const names = reads.mock.calls.map(([name]) => name.toLowerCase())
    expect(await res.text()).toBe('h1{color:red}')
    expect(res.headers.get('cache-control')).toBeNull()
    // The context's language is what the read step reads for this config.
    expect(names).not.toContain('accept-language')
  })

  it('is run for a page, once its origin has answered, and personalises it', async () => {
    const { serve } = pagePath({ config: CONFIG }, noRoutes)
    const { page, asks } = visit(html)
    const reads = vi.spyOn(Headers.prototype, 'get')
    const res = await serve(page)
    const names = reads.mock.calls.map(([name]) => name.toLowerCase())
    expect(await res.text()).toContain('<h1 id="greeting">Bonjour</h1>')
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(names.filter((n) => n === 'accept-language')).toHaveLength(1)
    expect(asks).toHaveLength(1)
    expect(asks[0]?.dropConditions).toBe(false)
  })

  it('still tells a listener the state of a response that is not a page', async () => {
    const { serve } = pagePath({ config: CONFIG }, noRoutes)
    const { page } = visit(css)
    const told: string[] = []
    page.onState = (state) => told.push(state.decisions.map((d) => d.variant?.id).join())
    const res = await serve(page)
    expect(await res.text()).toBe('h1{color:red}')
    expect(told).toEqual(['fr'])
  })

  it('runs before the origin is asked for a conditional GET, which then asks for the whole page', async () => {
    const { serve } = pagePath({ config: CONFIG }, noRoutes)
    const french = visit(html, { 'if-none-match': '"v1"' })
    await (await serve(french.page)).text()
    expect(french.asks[0]).toMatchObject({ dropConditions: true, conditional: true })

    // The same conditional GET from an English browser gets no edit: its conditions stand.
    const english = visit(html, { 'if-none-match': '"v1"', 'accept-language': 'en' })
    await (await serve(english.page)).text()
    expect(english.asks[0]).toMatchObject({ dropConditions: false, conditional: true })
  })

  it('fails open when reading throws: the origin’s page goes out untouched', async () => {
    const { serve } = pagePath({ config: CONFIG }, noRoutes)
    const { page } = visit(html)
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const origin = html()
    page.upstream = async () => origin
    // The read step's look at the browser's languages throws.
    const get = Headers.prototype.get
    vi.spyOn(Headers.prototype, 'get').mockImplementation(function (this: Headers, name) {
      if (name.toLowerCase() === 'accept-language') {
        throw new Error('broken headers')
      }
      return get.call(this, name)
    })
    const res = await serve(page)
    expect(res).toBe(origin)
  })
})
