// The cookie's experiment entries: a few bytes each, 20 under 4 KB, and nothing that could identify.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64url } from './base64url'
import type { StoredAssignment, VisitorState } from './state'
import { readVisitor, VISITOR_COOKIE_NAME, writeVisitor } from './cookie'
import type { Keyring } from './keys'
import { cookiePair, CURRENT, keyringOf, NOW } from './testing'

const name = VISITOR_COOKIE_NAME
const keyring: Keyring = await keyringOf(CURRENT)
const write = (state: VisitorState) =>
  writeVisitor(state, { name, keyring, now: NOW, maxAgeDays: 180 })

/** The signed payload's `d`, as anyone holding the cookie can read it. */
function payloadOf(setCookie: string): Record<string, unknown> {
  const token = cookiePair(setCookie).slice(name.length + 1)
  const bytes = decodeBase64url(token.split('.')[2] ?? '') as Uint8Array
  return (JSON.parse(new TextDecoder().decode(bytes)) as { d: Record<string, unknown> }).d
}

describe('experiment entries', () => {
  it('20 experiments with 40-character ids, all goals converted, each with a context cell, plus prefs: under 4 KB', async () => {
    const experiments: Record<string, StoredAssignment> = {}
    for (let i = 0; i < 20; i++) {
      experiments[`experiment-${String(i).padStart(2, '0')}-${'x'.repeat(26)}`] = [
        65_535, 7, 0x3ff, 24,
      ]
    }
    const state: VisitorState = {
      prefs: { interests: ['cycling', 'running'], name: 'Ada' },
      created: 1767225600,
      consent: { signals: true, at: 1767225600 },
      tests: { agreed: true, at: 1767225600 },
      experiments,
      holdout: [65_535, 1, 0x3ff],
    }
    const header = await write(state)
    const pair = cookiePair(header)
    expect(pair.length).toBeLessThan(4096)
    expect(new TextEncoder().encode(header).length).toBeLessThan(4096)
    const read = await readVisitor(pair, { name, keyring, now: NOW })
    expect(read).toMatchObject({
      status: 'valid',
      visitor: { experiments, holdout: [65_535, 1, 0x3ff] },
    })
  })

  it('one typical entry costs about 20 bytes of JSON', async () => {
    const base: VisitorState = { prefs: {}, created: 1767225600, tests: { agreed: true, at: 1 } }
    const without = cookiePair(await write(base)).length
    const withOne = cookiePair(
      await write({ ...base, experiments: { 'hero-test': [1, 1, 5] } })
    ).length
    // '"experiments":{"hero-test":[1,1,5]}' is 35 characters, base64url × 4/3.
    expect(withOne - without).toBeLessThanOrEqual(48)
    // A contextual bandit's cell adds ",12": 3 characters, 4 bytes of base64url.
    const withCell = cookiePair(
      await write({ ...base, experiments: { 'hero-test': [1, 1, 5, 12] } })
    ).length
    expect(withCell - withOne).toBeLessThanOrEqual(4)
  })

  it("keeps a contextual bandit's cell (1 to 24) through a write and a read", async () => {
    const state: VisitorState = {
      prefs: {},
      created: 1767225600,
      experiments: { a: [2, 1, 1, 1], b: [1, 0, 5, 24], c: [1, 1, 0] },
    }
    const read = await readVisitor(cookiePair(await write(state)), { name, keyring, now: NOW })
    expect(read).toMatchObject({ status: 'valid', visitor: { experiments: state.experiments } })
  })

  it.each([
    ['a fourth field that is text', { e: [1, 0, 0, 'x'] }],
    ['a cell of 0 (no cell is written as none)', { e: [1, 0, 0, 0] }],
    ['a cell past 24', { e: [1, 0, 0, 25] }],
    ['a fractional cell', { e: [1, 0, 0, 1.5] }],
    ['a fifth field', { e: [1, 0, 0, 3, 1] }],
    ['an arm past 7', { e: [1, 8, 0] }],
    ['a fraction', { e: [1, 0.5, 0] }],
    ['a string', { e: ['1', 0, 0] }],
    ['bits past 10', { e: [1, 0, 0x400] }],
    ['phase 0', { e: [0, 0, 0] }],
  ])('an entry with %s reads as malformed', async (_name, experiments) => {
    const { signToken } = await import('./token')
    const token = await signToken(
      { prefs: {}, created: 1, experiments },
      { purpose: 'visitor', keyring, now: NOW, ttlSeconds: 3600 }
    )
    expect(await readVisitor(`${name}=${token}`, { name, keyring, now: NOW })).toEqual({
      status: 'invalid',
      reason: 'malformed',
    })
  })
})

describe('the holdout entry', () => {
  it('has no context cell: one reads as malformed', async () => {
    const { signToken } = await import('./token')
    const token = await signToken(
      { prefs: {}, created: 1, holdout: [1, 1, 1, 2] },
      { purpose: 'visitor', keyring, now: NOW, ttlSeconds: 3600 }
    )
    expect(await readVisitor(`${name}=${token}`, { name, keyring, now: NOW })).toEqual({
      status: 'invalid',
      reason: 'malformed',
    })
  })
})

// Property: whatever the experiments and their arms, the cookie's `experiments` and `holdout` hold
// only config ids and three small integers each, plus for a contextual bandit a cell index of at
// most 24 (one of a few coarse contexts, shared by many visitors); no other field, no random
// value beyond the arm.
describe('property: no identifier in the experiment entries', () => {
  const id = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/)
  const triple = fc.tuple(
    fc.integer({ min: 1, max: 65_535 }),
    fc.integer({ min: -1, max: 7 }),
    fc.integer({ min: 0, max: 0x3ff })
  )
  const entry = fc.oneof(
    triple,
    fc.tuple(
      fc.integer({ min: 1, max: 65_535 }),
      fc.integer({ min: -1, max: 7 }),
      fc.integer({ min: 0, max: 0x3ff }),
      fc.integer({ min: 1, max: 24 })
    )
  )
  it('round-trips; every entry is [phase, arm, bits] of small integers, and maybe a cell ≤ 24', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(id, entry as fc.Arbitrary<StoredAssignment>, { maxKeys: 20 }),
        fc.option(
          fc.tuple(
            fc.integer({ min: 1, max: 65_535 }),
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: 0, max: 0x3ff })
          ),
          { nil: undefined }
        ),
        async (experiments, holdout) => {
          const state: VisitorState = { prefs: {}, created: 1767225600, experiments }
          if (holdout) {
            state.holdout = holdout
          }
          const header = await write(state)
          const d = payloadOf(header)
          expect(
            Object.keys(d).every((k) => ['prefs', 'created', 'experiments', 'holdout'].includes(k))
          ).toBe(true)
          for (const value of [
            ...Object.values((d.experiments ?? {}) as object),
            ...(d.holdout ? [d.holdout] : []),
          ]) {
            expect(Array.isArray(value) && (value.length === 3 || value.length === 4)).toBe(true)
            const [phase, arm, bits, cell] = value as number[]
            expect(Number.isInteger(phase) && phase! >= 1 && phase! <= 65_535).toBe(true)
            expect(Number.isInteger(arm) && arm! >= -1 && arm! <= 7).toBe(true)
            expect(Number.isInteger(bits) && bits! >= 0 && bits! < 1024).toBe(true)
            if ((value as number[]).length === 4) {
              expect(Number.isInteger(cell) && cell! >= 1 && cell! <= 24).toBe(true)
            }
          }
          const read = await readVisitor(cookiePair(header), { name, keyring, now: NOW })
          expect(read.status).toBe('valid')
          if (read.status === 'valid') {
            expect(read.visitor.experiments ?? {}).toEqual(experiments)
          }
        }
      ),
      { numRuns: 60 }
    )
  })

  it('extra data smuggled into an entry never survives a read', async () => {
    const { signToken } = await import('./token')
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (smuggled) => {
        // In place of the cell, and after it.
        for (const entry of [
          [1, 0, 0, smuggled],
          [1, 0, 0, 3, smuggled],
        ]) {
          const token = await signToken(
            { prefs: {}, created: 1, experiments: { a: entry } },
            { purpose: 'visitor', keyring, now: NOW, ttlSeconds: 3600 }
          )
          const read = await readVisitor(`${name}=${token}`, { name, keyring, now: NOW })
          expect(read.status).toBe('invalid')
        }
      }),
      { numRuns: 30 }
    )
  })
})
