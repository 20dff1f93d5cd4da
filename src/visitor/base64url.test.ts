// Base64url: RFC 4648 test vectors, and strict decoding (one spelling per byte string).
import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('base64url', () => {
  // RFC 4648 §10, without padding (§3.2).
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('%j ⇄ %j', (text, encoded) => {
    expect(encodeBase64url(bytes(text))).toBe(encoded)
    expect(decodeBase64url(encoded)).toEqual(bytes(text))
  })

  it('uses "-" and "_" for the last two digits (RFC 4648 §5)', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
    expect(decodeBase64url('-_8')).toEqual(new Uint8Array([0xfb, 0xff]))
  })

  it.each([
    ['padding', 'Zg=='],
    ['the standard alphabet', '+/8'],
    ['whitespace', 'Zm9v Yg'],
    ['an impossible length', 'Zm9vY'],
    ['non-zero trailing bits', 'Zh'],
    ['non-ASCII', 'Zé'],
  ])('refuses %s', (_, text) => {
    expect(decodeBase64url(text)).toBeUndefined()
  })
})

describe('canonical decoding without re-encoding', () => {
  it('accepts exactly the strings that encoding produces', async () => {
    const fc = (await import('fast-check')).default
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), (text) => {
        const bytes = decodeBase64url(text)
        if (bytes !== undefined) {
          expect(encodeBase64url(bytes)).toBe(text)
        }
      }),
      { numRuns: 5000 }
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes)
      })
    )
  })
})

describe('encodeBase64url', () => {
  it('equals btoa with the URL alphabet and no padding, for any bytes', async () => {
    const fc = (await import('fast-check')).default
    const reference = (bytes: Uint8Array) =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '')
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(encodeBase64url(bytes)).toBe(reference(bytes))
      }),
      { numRuns: 3000 }
    )
  })
})
