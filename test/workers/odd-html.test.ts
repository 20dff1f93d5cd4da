// Pages the streaming parser refuses, through the whole app: never a clean, cut-short page.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { chunkedResponse } from '../helpers/html'
import { ENV, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'

const HERE = 'https://shop.example'
const DEV = { ...ENV, TAILOR_MODE: 'dev' }
const app = createApp({ config: TEST_CONFIG })

// html5lib tree-construction inputs lol-html refuses ("ParsingAmbiguityError"), after a slot
// that this visitor's French changes, or before it.
const ODD = ['<select><plaintext></plaintext>X', '<frameset><plaintext>']
const after = (odd: string) =>
  `<!doctype html><body><h1 id="greeting">Welcome</h1><p>text</p>${odd}<p>end</p></body>`
const before = (odd: string) => `<!doctype html><body>${odd}<h1 id="greeting">Welcome</h1>`

function cut(html: string, size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < html.length; i += size) {
    out.push(html.slice(i, i + size))
  }
  return out
}

afterEach(() => {
  vi.restoreAllMocks()
})

async function fetchPage(page: string, size: number, env: object) {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  mockOrigin({ [`${ORIGIN}/`]: () => chunkedResponse(cut(page, size)) })
  return app.request(`${HERE}/`, { headers: { 'accept-language': 'fr' } }, env)
}

describe.each(ODD)('a page with %s', (odd) => {
  it.each<[string, number]>([
    ['whole', 0],
    ['in 7-byte chunks', 7],
  ])(
    'dev (recovers): nothing changed yet, so the origin page arrives byte for byte, %s',
    async (_how, size) => {
      const page = before(odd)
      const res = await fetchPage(page, size || page.length, DEV)
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(page)
    }
  )

  it.each<[string, number]>([
    ['whole', 0],
    ['in 7-byte chunks', 7],
  ])(
    'dev and production: after a change the body errors, never ends cleanly, %s',
    async (_how, size) => {
      for (const env of [DEV, ENV]) {
        const page = after(odd)
        const res = await fetchPage(page, size || page.length, env)
        await expect(res.text()).rejects.toThrow(/Parser error/)
      }
    }
  )

  it('production: the runtime streams the rewriter itself; its error reaches the reader', async () => {
    const page = before(odd)
    const res = await fetchPage(page, page.length, ENV)
    await expect(res.text()).rejects.toThrow(/Parser error/)
  })
})
