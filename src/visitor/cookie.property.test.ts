// Property tests: arbitrary Cookie headers never throw nor verify; valid state always round-trips.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readVisitor, VISITOR_COOKIE_NAME, writeVisitor } from './cookie'
import { stripCookie } from './cookie-header'
import type { VisitorState } from './state'
import type { Keyring } from './keys'
import { cookiePair, CURRENT, keyringOf, NOW } from './testing'

const name = VISITOR_COOKIE_NAME

// Top-level await: the arbitraries below embed a genuine cookie, so it must exist before they do.
const keyring: Keyring = await keyringOf(CURRENT)
const pair = cookiePair(
  await writeVisitor(
    { prefs: { theme: 'dark' }, created: 1 },
    { name, keyring, now: NOW, maxAgeDays: 1 }
  )
)

const read = (header: string | null) => readVisitor(header, { name, keyring, now: NOW })

/** Any string, surrogate halves and control characters included. */
const anyString = fc.string({ unit: 'binary', maxLength: 400 })

/**
 * Pieces a Cookie header is made of, so random headers often hold the name, its separators and a
 * genuine payload. Never a genuine signature: with one, a header could rightly be valid.
 */
const cookieish = fc
  .array(
    fc.oneof(
      anyString,
      fc.constantFrom(
        name,
        '=',
        ';',
        ' ',
        '\t',
        '1.',
        'k2.',
        '.',
        pair.split('.')[2] as string,
        'A'.repeat(43)
      )
    ),
    { maxLength: 12 }
  )
  .map((parts) => parts.join(''))

const prefValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.boolean(),
  fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 4 })
)

const visitorState: fc.Arbitrary<VisitorState> = fc.record({
  prefs: fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), prefValue, { maxKeys: 6 }),
  created: fc.integer({ min: 0, max: 2 ** 40 }),
})

describe('readVisitor, for any input', () => {
  it('never throws and never returns valid for an arbitrary header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyString, cookieish), async (header) => {
        const result = await read(header)
        expect(['absent', 'invalid']).toContain(result.status)
      })
    )
  })

  it('never returns valid for an arbitrary cookie value', async () => {
    await fc.assert(
      fc.asyncProperty(anyString, async (value) => {
        expect((await read(`a=1; ${name}=${value}`)).status).not.toBe('valid')
      })
    )
  })

  it('never returns valid once one character of a genuine cookie is changed', async () => {
    const start = name.length + 1
    const token = pair.slice(start)
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        async (index, char) => {
          fc.pre(token[index] !== char)
          const changed = token.slice(0, index) + char + token.slice(index + 1)
          expect((await read(`${name}=${changed}`)).status).not.toBe('valid')
        }
      )
    )
  })
})

describe('writeVisitor then readVisitor', () => {
  it('round-trips any valid state', async () => {
    await fc.assert(
      fc.asyncProperty(visitorState, fc.integer({ min: 1, max: 400 }), async (visitor, days) => {
        const setCookie = await writeVisitor(visitor, { name, keyring, now: NOW, maxAgeDays: days })
        const result = await read(`x=1; ${cookiePair(setCookie)}; y=2`)
        expect(result).toEqual({
          status: 'valid',
          visitor,
          kid: 'k2',
          issuedAt: Math.floor(NOW / 1000),
        })
      })
    )
  })
})

describe('stripCookie, for any header', () => {
  const cookieName = fc.constantFrom(name, `${name}2`, `x${name}`, 'a', 'b', 'session')
  const cookieValue = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/)

  it('removes exactly the named pairs and keeps the others in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cookieName, cookieValue), { maxLength: 8 }),
        fc.constantFrom('; ', ';', ';\t', ' ;  '),
        (pairs, separator) => {
          const header = pairs.map(([n, v]) => `${n}=${v}`).join(separator)
          const others = pairs.filter(([n]) => n !== name).map(([n, v]) => `${n}=${v}`)
          const stripped = stripCookie(header, name)
          if (others.length === 0) {
            expect(stripped).toBeNull()
          } else {
            expect(stripped?.split(/[ \t]*;[ \t]*/)).toEqual(others)
          }
        }
      )
    )
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, cookieish), (header) => {
        const stripped = stripCookie(header, name)
        expect(stripped === null || typeof stripped === 'string').toBe(true)
      })
    )
  })
})
