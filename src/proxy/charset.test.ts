import { describe, expect, it } from 'vitest'
import { charsetFromContent, PRESCAN_BYTES, prescanCharset, sniffCharset } from './charset'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('prescanCharset (WHATWG HTML §13.2.3.2)', () => {
  it.each<[string, string, string | undefined]>([
    ['meta charset', '<!doctype html><meta charset=shift_jis>', 'shift_jis'],
    ['quoted, upper case, spaces', '<META  CHARSET = "Shift_JIS" >', 'shift_jis'],
    [
      'http-equiv content-type',
      '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
      'windows-1252',
    ],
    [
      'content order does not matter',
      "<meta content='text/html;charset=iso-8859-1' http-equiv=content-type>",
      'iso-8859-1',
    ],
    [
      'content without http-equiv is ignored',
      '<meta content="text/html; charset=sjis">',
      undefined,
    ],
    ['utf-8', '<meta charset="utf-8">', 'utf-8'],
    ['utf8 label', '<meta charset=UTF8>', 'utf-8'],
    ['utf-16 in a meta means utf-8', '<meta charset="utf-16le">', 'utf-8'],
    ['x-user-defined means windows-1252', '<meta charset="x-user-defined">', 'windows-1252'],
    ['no meta', '<!doctype html><title>x</title><p>hi', undefined],
    ['inside a comment', '<!-- <meta charset=shift_jis> --><meta charset=utf-8>', 'utf-8'],
    ['a "<!-->" comment', '<!--><meta charset=euc-jp>', 'euc-jp'],
    ['in an attribute value', '<div title="<meta charset=sjis>"><meta charset=utf-8>', 'utf-8'],
    ['an empty charset goes on', '<meta charset=""><meta charset=gbk>', 'gbk'],
    ['first one wins', '<meta charset=utf-8><meta charset=shift_jis>', 'utf-8'],
    ['cut mid-tag', '<meta charset="shift', undefined],
    ['utf-8 BOM', '\ufeff<meta charset=shift_jis>', 'utf-8'],
  ])('%s', (_name, html, expected) => {
    expect(prescanCharset(bytes(html))).toBe(expected)
  })

  it('a UTF-16 BOM', () => {
    expect(prescanCharset(new Uint8Array([0xff, 0xfe, 0x3c, 0]))).toBe('utf-16')
  })

  it('looks at the first 1,024 bytes only', () => {
    const late = `<!doctype html><!--${'x'.repeat(PRESCAN_BYTES)}--><meta charset=shift_jis>`
    expect(prescanCharset(bytes(late))).toBeUndefined()
  })

  it('charsetFromContent', () => {
    expect(charsetFromContent('text/html; charset = "EUC-JP"')).toBe('EUC-JP')
    expect(charsetFromContent('text/html; charset=big5; x=y')).toBe('big5')
    expect(charsetFromContent('text/html; charset="big5')).toBeUndefined()
    expect(charsetFromContent('text/html')).toBeUndefined()
  })
})

describe('sniffCharset', () => {
  /** A response streaming `text` in pieces of `size` bytes, counting the pieces read. */
  function streamed(text: string, size: number) {
    const all = bytes(text)
    let at = 0
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        if (at >= all.length) {
          controller.close()
          return
        }
        controller.enqueue(all.slice(at, at + size))
        at += size
      },
    })
    return { response: new Response(body, { headers: { 'x-origin': '1' } }), pulls: () => pulls }
  }

  it('holds back at most the first 1,024 bytes, and streams the same bytes on', async () => {
    const page = `<meta charset=shift_jis>${'y'.repeat(5000)}`
    const origin = streamed(page, 100)
    const { charset, response } = await sniffCharset(origin.response)
    expect(charset).toBe('shift_jis')
    // 11 pieces of 100 bytes reach 1,024; nothing more is read before the client reads.
    expect(origin.pulls()).toBeLessThanOrEqual(13)
    expect(await response.text()).toBe(page)
    expect(response.headers.get('x-origin')).toBe('1')
  })

  it('a page shorter than 1,024 bytes', async () => {
    const { charset, response } = await sniffCharset(streamed('<meta charset=utf-8>hi', 7).response)
    expect(charset).toBe('utf-8')
    expect(await response.text()).toBe('<meta charset=utf-8>hi')
  })

  it('an origin stream that fails within the first 1,024 bytes fails the new stream', async () => {
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(bytes('<p>short'))
        } else {
          controller.error(new Error('reset'))
        }
      },
    })
    const { charset, response } = await sniffCharset(new Response(body))
    expect(charset).toBeUndefined()
    await expect(response.text()).rejects.toThrow()
  })

  it('an origin stream that fails later fails the new stream too', async () => {
    let sent = false
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(bytes('x'.repeat(2000)))
        } else {
          controller.error(new Error('reset'))
        }
      },
    })
    const { response } = await sniffCharset(new Response(body))
    await expect(response.text()).rejects.toThrow()
  })
})
