// Table-driven checks that each operator matches as MongoDB (and GrowthBook targeting) would.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context/fields'
import { ALWAYS, compileCondition, compileSegments } from '.'
import { makeFacts, testEnv } from './fixtures'

function check(condition: unknown, facts: Facts): boolean {
  const compiled = compileCondition(condition, testEnv())
  expect(compiled.issues).toEqual([])
  return compiled.condition.test(facts)
}

const FR = makeFacts({ country: 'FR' })
const NOWHERE = makeFacts()
const HOUR = (localHour: number) => makeFacts({ localHour })
const LIKES = (...interests: string[]) => makeFacts({ prefs: { interests } })

describe('field operators', () => {
  it.each<[string, unknown, Facts, boolean]>([
    // implicit equality and $eq
    ['implicit equality: match', { country: 'FR' }, FR, true],
    ['implicit equality: other value', { country: 'BE' }, FR, false],
    ['implicit equality: missing field', { country: 'FR' }, NOWHERE, false],
    [
      'implicit equality: list contains',
      { 'prefs.interests': 'cycling' },
      LIKES('running', 'cycling'),
      true,
    ],
    ['implicit equality: list lacks', { 'prefs.interests': 'hiking' }, LIKES('running'), false],
    ['implicit equality: empty list', { 'prefs.interests': 'hiking' }, LIKES(), false],
    ['implicit equality: boolean true', { eu: true }, makeFacts({ eu: true }), true],
    ['implicit equality: boolean false', { eu: false }, makeFacts({ eu: true }), false],
    ['implicit equality: boolean missing is not false', { eu: false }, NOWHERE, false],
    [
      'implicit equality: nested path',
      { 'utm.source': 'news' },
      makeFacts({ utm: { source: 'news' } }),
      true,
    ],
    [
      'implicit equality: no coercion',
      { localHour: 7 },
      makeFacts({ localHour: '7' as never }),
      false,
    ],
    ['$eq: match', { country: { $eq: 'FR' } }, FR, true],
    ['$eq: other', { country: { $eq: 'DE' } }, FR, false],
    ['$eq: missing', { country: { $eq: 'FR' } }, NOWHERE, false],
    ['$eq: list contains', { 'prefs.interests': { $eq: 'running' } }, LIKES('running'), true],
    ['$eq: list lacks', { 'prefs.interests': { $eq: 'hiking' } }, LIKES('running'), false],
    [
      '$eq: array at run time on a scalar field',
      { country: 'FR' },
      makeFacts({ country: ['BE', 'FR'] as never }),
      true,
    ],
    // $ne
    ['$ne: other value', { country: { $ne: 'DE' } }, FR, true],
    ['$ne: same value', { country: { $ne: 'FR' } }, FR, false],
    ['$ne: missing field', { country: { $ne: 'FR' } }, NOWHERE, true],
    ['$ne: list lacks', { 'prefs.interests': { $ne: 'hiking' } }, LIKES('running'), true],
    ['$ne: list contains', { 'prefs.interests': { $ne: 'running' } }, LIKES('running'), false],
    ['$ne: boolean', { eu: { $ne: true } }, makeFacts({ eu: false }), true],
    // $in
    ['$in: one of', { country: { $in: ['BE', 'FR'] } }, FR, true],
    ['$in: none of', { country: { $in: ['BE', 'NL'] } }, FR, false],
    ['$in: missing', { country: { $in: ['BE', 'FR'] } }, NOWHERE, false],
    [
      '$in: list shares one',
      { 'prefs.interests': { $in: ['hiking', 'cycling'] } },
      LIKES('cycling'),
      true,
    ],
    [
      '$in: list shares none',
      { 'prefs.interests': { $in: ['hiking'] } },
      LIKES('cycling', 'running'),
      false,
    ],
    ['$in: numbers', { localHour: { $in: [18, 19] } }, HOUR(19), true],
    [
      '$in: no coercion',
      { localHour: { $in: [18, 19] } },
      makeFacts({ localHour: '19' as never }),
      false,
    ],
    // $nin
    ['$nin: not in', { country: { $nin: ['BE', 'NL'] } }, FR, true],
    ['$nin: in', { country: { $nin: ['BE', 'FR'] } }, FR, false],
    ['$nin: missing', { country: { $nin: ['BE', 'FR'] } }, NOWHERE, true],
    ['$nin: list shares none', { 'prefs.interests': { $nin: ['hiking'] } }, LIKES('cycling'), true],
    [
      '$nin: list shares one',
      { 'prefs.interests': { $nin: ['hiking', 'cycling'] } },
      LIKES('cycling'),
      false,
    ],
    // comparisons
    ['$gt: above', { localHour: { $gt: 17 } }, HOUR(18), true],
    ['$gt: equal', { localHour: { $gt: 18 } }, HOUR(18), false],
    ['$gt: missing', { localHour: { $gt: 0 } }, NOWHERE, false],
    ['$gte: equal', { localHour: { $gte: 18 } }, HOUR(18), true],
    ['$gte: below', { localHour: { $gte: 18 } }, HOUR(17), false],
    ['$lt: below', { localHour: { $lt: 12 } }, HOUR(11), true],
    ['$lt: equal', { localHour: { $lt: 12 } }, HOUR(12), false],
    ['$lte: equal', { localHour: { $lte: 12 } }, HOUR(12), true],
    ['$lte: above', { localHour: { $lte: 12 } }, HOUR(13), false],
    ['$lte: missing', { localHour: { $lte: 23 } }, NOWHERE, false],
    [
      '$gt: a string fact is not a number',
      { localHour: { $gt: 1 } },
      makeFacts({ localHour: '5' as never }),
      false,
    ],
    [
      '$gt: NaN never compares',
      { localHour: { $gt: 1 } },
      makeFacts({ localHour: Number.NaN }),
      false,
    ],
    [
      '$lt: NaN never compares',
      { localHour: { $lt: 23 } },
      makeFacts({ localHour: Number.NaN }),
      false,
    ],
    ['$gt: strings with strings', { city: { $gt: 'M' } }, makeFacts({ city: 'Paris' }), true],
    ['$lt: strings with strings', { city: { $lt: 'M' } }, makeFacts({ city: 'Paris' }), false],
    [
      '$lt: a number fact is not a string',
      { city: { $lt: 'M' } },
      makeFacts({ city: 5 as never }),
      false,
    ],
    [
      '$gte: any list element',
      { 'prefs.interests': { $gte: 'running' } },
      LIKES('cycling', 'running'),
      true,
    ],
    ['several operators are ANDed: inside', { localHour: { $gte: 6, $lt: 12 } }, HOUR(9), true],
    ['several operators are ANDed: outside', { localHour: { $gte: 6, $lt: 12 } }, HOUR(12), false],
    // $exists
    ['$exists true: present', { region: { $exists: true } }, makeFacts({ region: 'IDF' }), true],
    ['$exists true: missing', { region: { $exists: true } }, NOWHERE, false],
    ['$exists false: missing', { region: { $exists: false } }, NOWHERE, true],
    ['$exists false: present', { region: { $exists: false } }, makeFacts({ region: 'IDF' }), false],
    [
      '$exists: null counts as missing',
      { region: { $exists: false } },
      makeFacts({ region: null as never }),
      true,
    ],
    ['$exists: false is present', { eu: { $exists: true } }, makeFacts({ eu: false }), true],
    ['$exists: an empty list is present', { 'prefs.interests': { $exists: true } }, LIKES(), true],
    // $regex
    ['$regex: match', { path: { $regex: '^/blog/' } }, makeFacts({ path: '/blog/post' }), true],
    ['$regex: no match', { path: { $regex: '^/blog/' } }, makeFacts({ path: '/shop' }), false],
    ['$regex: case matters', { path: { $regex: '^/BLOG' } }, makeFacts({ path: '/blog' }), false],
    [
      '$regex: $options i',
      { path: { $regex: '^/BLOG', $options: 'i' } },
      makeFacts({ path: '/blog' }),
      true,
    ],
    ['$regex: missing', { city: { $regex: 'a' } }, NOWHERE, false],
    ['$regex: not a string', { city: { $regex: '1' } }, makeFacts({ city: 1 as never }), false],
    [
      '$regex: list element',
      { 'prefs.interests': { $regex: '^run' } },
      LIKES('cycling', 'running'),
      true,
    ],
    [
      '$regex: only the first 1000 characters are tested',
      { path: { $regex: 'x' } },
      makeFacts({ path: `/${'a'.repeat(1000)}x` }),
      false,
    ],
    [
      '$regex: within the first 1000 characters',
      { path: { $regex: 'x$' } },
      makeFacts({ path: `/${'a'.repeat(998)}x` }),
      true,
    ],
    // $all
    [
      '$all: every one',
      { 'prefs.interests': { $all: ['cycling', 'running'] } },
      LIKES('running', 'hiking', 'cycling'),
      true,
    ],
    [
      '$all: one lacking',
      { 'prefs.interests': { $all: ['cycling', 'running'] } },
      LIKES('cycling'),
      false,
    ],
    ['$all: missing', { 'prefs.interests': { $all: ['cycling'] } }, NOWHERE, false],
    [
      '$all: a single value',
      { 'prefs.interests': { $all: ['cycling'] } },
      makeFacts({ prefs: { interests: 'cycling' } }),
      true,
    ],
    // $size
    ['$size: equal', { 'prefs.interests': { $size: 2 } }, LIKES('cycling', 'running'), true],
    ['$size: other', { 'prefs.interests': { $size: 1 } }, LIKES('cycling', 'running'), false],
    ['$size: zero', { 'prefs.interests': { $size: 0 } }, LIKES(), true],
    ['$size: missing', { 'prefs.interests': { $size: 0 } }, NOWHERE, false],
    [
      '$size: a single value is not a list',
      { 'prefs.interests': { $size: 1 } },
      makeFacts({ prefs: { interests: 'cycling' } }),
      false,
    ],
    // $not on a field
    ['field $not: negates', { country: { $not: { $in: ['BE', 'NL'] } } }, FR, true],
    ['field $not: negates a match', { country: { $not: { $in: ['BE', 'FR'] } } }, FR, false],
    ['field $not: missing field', { localHour: { $not: { $gte: 18 } } }, NOWHERE, true],
    ['field $not: a plain value', { country: { $not: 'FR' } }, FR, false],
  ])('%s', (_label, condition, facts, expected) => {
    expect(check(condition, facts)).toBe(expected)
  })
})

describe('logical operators', () => {
  const evening = makeFacts({ country: 'FR', daypart: 'evening', localHour: 20 })
  it.each<[string, unknown, Facts, boolean]>([
    ['several keys are ANDed: all hold', { country: 'FR', daypart: 'evening' }, evening, true],
    ['several keys are ANDed: one fails', { country: 'FR', daypart: 'morning' }, evening, false],
    ['empty object matches everyone', {}, NOWHERE, true],
    ['$and: all hold', { $and: [{ country: 'FR' }, { localHour: { $gte: 18 } }] }, evening, true],
    ['$and: one fails', { $and: [{ country: 'FR' }, { localHour: { $lt: 18 } }] }, evening, false],
    ['$or: one holds', { $or: [{ country: 'BE' }, { daypart: 'evening' }] }, evening, true],
    ['$or: none holds', { $or: [{ country: 'BE' }, { daypart: 'night' }] }, evening, false],
    ['$nor: none holds', { $nor: [{ country: 'BE' }, { daypart: 'night' }] }, evening, true],
    ['$nor: one holds', { $nor: [{ country: 'BE' }, { daypart: 'evening' }] }, evening, false],
    ['$not: negates false', { $not: { country: 'BE' } }, evening, true],
    ['$not: negates true', { $not: { country: 'FR' } }, evening, false],
    ['$not $not', { $not: { $not: { country: 'FR' } } }, evening, true],
    ['$not: missing field', { $not: { country: 'FR' } }, NOWHERE, true],
    [
      'nested',
      { $or: [{ $and: [{ country: 'BE' }, { eu: true }] }, { $nor: [{ daypart: 'morning' }] }] },
      evening,
      true,
    ],
    [
      'logical beside a field',
      { country: 'FR', $or: [{ daypart: 'night' }, { localHour: 20 }] },
      evening,
      true,
    ],
  ])('%s', (_label, condition, facts, expected) => {
    expect(check(condition, facts)).toBe(expected)
  })
})

describe('segments', () => {
  const { segments, issues } = compileSegments(
    {
      // Written before what it references: compiled in dependency order anyway.
      eveningCyclist: { $segment: 'cyclist', daypart: 'evening' },
      cyclist: { 'prefs.interests': 'cycling' },
      frenchEveningCyclist: { $and: [{ $segment: 'eveningCyclist' }, { country: 'FR' }] },
    },
    testEnv()
  )
  const env = testEnv(segments)

  it('compiles without issues', () => {
    expect(issues).toEqual([])
    expect(Object.keys(segments)).toEqual(['cyclist', 'eveningCyclist', 'frenchEveningCyclist'])
  })

  it.each<[string, unknown, Facts, boolean]>([
    ['direct: in', { $segment: 'cyclist' }, LIKES('cycling'), true],
    ['direct: out', { $segment: 'cyclist' }, LIKES('running'), false],
    [
      'nested reference: in',
      { $segment: 'eveningCyclist' },
      makeFacts({ daypart: 'evening', prefs: { interests: ['cycling'] } }),
      true,
    ],
    [
      'nested reference: out',
      { $segment: 'eveningCyclist' },
      makeFacts({ daypart: 'night', prefs: { interests: ['cycling'] } }),
      false,
    ],
    [
      'two levels deep',
      { $segment: 'frenchEveningCyclist' },
      makeFacts({ country: 'FR', daypart: 'evening', prefs: { interests: ['cycling'] } }),
      true,
    ],
    ['negated', { $not: { $segment: 'cyclist' } }, LIKES('running'), true],
    ['beside a field', { $segment: 'cyclist', country: 'FR' }, LIKES('cycling'), false],
  ])('%s', (_label, condition, facts, expected) => {
    const compiled = compileCondition(condition, env)
    expect(compiled.issues).toEqual([])
    expect(compiled.condition.test(facts)).toBe(expected)
  })

  it('runs a segment compiled elsewhere through its own test()', () => {
    const foreign = { test: (f: Facts) => f.country === 'FR', explain: () => [] }
    const { condition, issues } = compileCondition(
      { $not: { $segment: 'x' } },
      testEnv({ x: foreign })
    )
    expect(issues).toEqual([])
    expect(condition.test(FR)).toBe(false)
    expect(condition.test(NOWHERE)).toBe(true)
  })
})

describe('ALWAYS', () => {
  it('matches any facts, even odd ones, and gives no reasons', () => {
    expect(ALWAYS.test(NOWHERE)).toBe(true)
    expect(ALWAYS.test(null as never)).toBe(true)
    expect(ALWAYS.explain(FR)).toEqual([])
  })
})

describe('a condition with issues', () => {
  it.each<[string, unknown]>([
    ['bad value', { country: 'France' }],
    ['bad value under $not', { $not: { country: 'fr' } }],
    ['unknown field under $nor', { $nor: [{ contry: 'FR' }] }],
    ['unknown operator under field $not', { country: { $not: { $foo: 1 } } }],
  ])('never matches: %s', (_label, json) => {
    const { condition, issues } = compileCondition(json, testEnv())
    expect(issues.length).toBeGreaterThan(0)
    for (const facts of [NOWHERE, FR, makeFacts({ country: 'GB' })]) {
      expect(condition.test(facts)).toBe(false)
      expect(condition.explain(facts)).toEqual([])
    }
  })
})

describe('exotic facts', () => {
  it('a throwing getter or a Proxy counts as no match, never a throw', () => {
    const { condition } = compileCondition({ $not: { country: 'FR' } }, testEnv())
    const getter = Object.defineProperty(makeFacts(), 'country', {
      get() {
        throw new Error('boom')
      },
      enumerable: true,
    })
    const proxy = new Proxy(makeFacts(), {
      has() {
        throw new Error('boom')
      },
      getOwnPropertyDescriptor() {
        throw new Error('boom')
      },
    })
    for (const facts of [getter, proxy]) {
      expect(condition.test(facts)).toBe(false)
      expect(condition.explain(facts)).toEqual([])
    }
  })
})
