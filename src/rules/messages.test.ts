// Valid/invalid pairs for the compiler, asserting the exact messages and where they point.
import { describe, expect, it } from 'vitest'
import { compileCondition, compileSegments } from '.'
import { TEST_FIELDS, testEnv } from './fixtures'
import type { RuleIssue } from './types'

const FIELD_LIST = Object.keys(TEST_FIELDS).join(', ')
const FIELD_OPERATORS =
  '$eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $regex, $options, $all, $size, $not'

describe('compileCondition accepts', () => {
  it.each<[string, unknown]>([
    ['a country code', { country: 'FR' }],
    ['a closed value', { daypart: 'evening' }],
    ['an hour in range', { localHour: { $gte: 0, $lte: 23 } }],
    ['a boolean', { eu: true }],
    ['a language tag', { language: 'pt-BR' }],
    ['$in of country codes', { country: { $in: ['FR', 'BE'] } }],
    ['an option of a set', { 'prefs.interests': { $all: ['cycling', 'hiking'] } }],
    ['$size on a list', { 'prefs.interests': { $size: 0 } }],
    ['$regex with $options i', { path: { $regex: '^/blog', $options: 'i' } }],
    ['a regex of 200 characters', { path: { $regex: 'a'.repeat(200) } }],
    ['$exists false', { region: { $exists: false } }],
    ['field $not of a value', { device: { $not: 'mobile' } }],
    ['the empty condition', {}],
    ['nesting at the limit', nest(32)],
  ])('%s', (_label, json) => {
    expect(compileCondition(json, testEnv()).issues).toEqual([])
  })
})

describe('compileCondition rejects', () => {
  it.each<[string, unknown, RuleIssue[]]>([
    [
      'a bad country code',
      { country: 'France' },
      [
        {
          path: ['country'],
          message: 'Expected an ISO 3166-1 alpha-2 country code. Got "France".',
        },
      ],
    ],
    [
      'a value outside a closed set',
      { daypart: 'noon' },
      [
        {
          path: ['daypart'],
          message: 'Expected one of "night", "morning", "afternoon", "evening". Got "noon".',
        },
      ],
    ],
    [
      'a string for a boolean',
      { eu: 'yes' },
      [{ path: ['eu'], message: 'Expected a boolean. Got "yes".' }],
    ],
    [
      'an hour out of range',
      { localHour: { $gte: 25 } },
      [{ path: ['localHour', '$gte'], message: 'Expected a number from 0 to 23. Got 25.' }],
    ],
    [
      'a string for an hour',
      { localHour: '7' },
      [{ path: ['localHour'], message: 'Expected a number from 0 to 23. Got "7".' }],
    ],
    [
      'a number for a string',
      { city: 5 },
      [{ path: ['city'], message: 'Expected a string. Got 5.' }],
    ],
    [
      'null as a value',
      { city: null },
      [{ path: ['city'], message: 'Expected a string. Got null.' }],
    ],
    [
      'an array for equality',
      { country: ['FR', 'BE'] },
      [
        {
          path: ['country'],
          message:
            'Expected an ISO 3166-1 alpha-2 country code. Got ["FR","BE"]. Use "$in" to match any of several values.',
        },
      ],
    ],
    [
      'an array for equality on a list',
      { 'prefs.interests': ['cycling'] },
      [
        {
          path: ['prefs.interests'],
          message:
            'Expected one of "cycling", "running", "hiking". Got ["cycling"]. Use "$in" for any of several values or "$all" for all of them.',
        },
      ],
    ],
    [
      'an object that is not operators',
      { city: { name: 'Paris' } },
      [{ path: ['city'], message: 'Expected a string. Got {"name":"Paris"}.' }],
    ],
    [
      '$in of a single value',
      { country: { $in: 'FR' } },
      [{ path: ['country', '$in'], message: 'Expected an array. Got "FR".' }],
    ],
    [
      '$in with one bad value',
      { $or: [{ daypart: 'night' }, { country: { $in: ['UK1', 'FR', 'gb'] } }] },
      [
        {
          path: ['$or', 1, 'country', '$in', 0],
          message: 'Expected an ISO 3166-1 alpha-2 country code. Got "UK1".',
        },
        {
          path: ['$or', 1, 'country', '$in', 2],
          message: 'Expected an ISO 3166-1 alpha-2 country code. Got "gb".',
        },
      ],
    ],
    [
      'empty $nin',
      { country: { $nin: [] } },
      [{ path: ['country', '$nin'], message: 'Expected at least one value. Got [].' }],
    ],
    [
      '$all with a bad option',
      { 'prefs.interests': { $all: ['cycling', 'golf'] } },
      [
        {
          path: ['prefs.interests', '$all', 1],
          message: 'Expected one of "cycling", "running", "hiking". Got "golf".',
        },
      ],
    ],
    [
      'an unknown field',
      { contry: 'FR' },
      [{ path: ['contry'], message: `Unknown field "contry". Expected one of: ${FIELD_LIST}.` }],
    ],
    [
      'a prototype key as a field',
      JSON.parse('{"__proto__": "FR"}'),
      [
        {
          path: ['__proto__'],
          message: `Unknown field "__proto__". Expected one of: ${FIELD_LIST}.`,
        },
      ],
    ],
    [
      'an unknown field operator',
      { country: { $foo: 'FR' } },
      [
        {
          path: ['country', '$foo'],
          message: `Unknown operator "$foo". Expected one of: ${FIELD_OPERATORS}.`,
        },
      ],
    ],
    [
      'a plain key beside operators',
      { country: { $eq: 'FR', name: 'x' } },
      [
        {
          path: ['country', 'name'],
          message: `Unknown operator "name". Expected one of: ${FIELD_OPERATORS}.`,
        },
      ],
    ],
    [
      'an unknown logical operator',
      { $where: 'x' },
      [
        {
          path: ['$where'],
          message: 'Unknown operator "$where". Expected one of: $and, $or, $nor, $not, $segment.',
        },
      ],
    ],
    [
      'a field operator in place of a field',
      { $in: ['FR'] },
      [
        {
          path: ['$in'],
          message: 'Unknown operator "$in". Expected one of: $and, $or, $nor, $not, $segment.',
        },
      ],
    ],
    [
      'a comparison on a boolean',
      { eu: { $gt: false } },
      [
        {
          path: ['eu', '$gt'],
          message:
            'Expected an operator for a boolean field: $eq, $ne, $in, $nin, $exists, $not. Got "$gt".',
        },
      ],
    ],
    [
      '$regex on a number',
      { localHour: { $regex: '1' } },
      [
        {
          path: ['localHour', '$regex'],
          message:
            'Expected an operator for a number field: $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $not. Got "$regex".',
        },
      ],
    ],
    [
      '$size on a scalar',
      { country: { $size: 1 } },
      [
        {
          path: ['country', '$size'],
          message:
            'Expected an operator for a text field: $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $regex, $options, $not. Got "$size".',
        },
      ],
    ],
    [
      'a negative $size',
      { 'prefs.interests': { $size: -1 } },
      [
        {
          path: ['prefs.interests', '$size'],
          message: 'Expected a whole number, 0 or more. Got -1.',
        },
      ],
    ],
    [
      'a fractional $size',
      { 'prefs.interests': { $size: 1.5 } },
      [
        {
          path: ['prefs.interests', '$size'],
          message: 'Expected a whole number, 0 or more. Got 1.5.',
        },
      ],
    ],
    [
      '$exists with a number',
      { region: { $exists: 1 } },
      [{ path: ['region', '$exists'], message: 'Expected a boolean. Got 1.' }],
    ],
    [
      'a bad regular expression',
      { path: { $regex: '(' } },
      [
        {
          path: ['path', '$regex'],
          message:
            'Expected a valid regular expression. Got "(". (Invalid regular expression: /(/: Unterminated group)',
        },
      ],
    ],
    [
      'a long regular expression',
      { path: { $regex: 'a'.repeat(250) } },
      [
        {
          path: ['path', '$regex'],
          message: 'Expected a regular expression of at most 200 characters. Got 250.',
        },
      ],
    ],
    [
      'a regular expression that is not a string',
      { path: { $regex: 5 } },
      [{ path: ['path', '$regex'], message: 'Expected a regular expression as a string. Got 5.' }],
    ],
    [
      '$options other than i',
      { path: { $regex: 'a', $options: 'gm' } },
      [{ path: ['path', '$options'], message: 'Expected "i" or no "$options". Got "gm".' }],
    ],
    [
      '$options alone',
      { path: { $options: 'i' } },
      [
        {
          path: ['path', '$options'],
          message: 'Expected "$regex" beside "$options". Got "$options" alone.',
        },
      ],
    ],
    [
      '$or of an object',
      { $or: { country: 'FR' } },
      [{ path: ['$or'], message: 'Expected an array of conditions. Got {"country":"FR"}.' }],
    ],
    [
      'empty $and',
      { $and: [] },
      [{ path: ['$and'], message: 'Expected at least one condition. Got [].' }],
    ],
    [
      'a string in $nor',
      { $nor: [{ eu: true }, 'FR'] },
      [{ path: ['$nor', 1], message: 'Expected a condition object. Got "FR".' }],
    ],
    [
      '$not of a string',
      { $not: 'FR' },
      [{ path: ['$not'], message: 'Expected a condition object. Got "FR".' }],
    ],
    ['not an object', ['FR'], [{ path: [], message: 'Expected a condition object. Got ["FR"].' }]],
    ['null', null, [{ path: [], message: 'Expected a condition object. Got null.' }]],
    [
      '$segment of a number',
      { $segment: 1 },
      [{ path: ['$segment'], message: 'Expected a segment name. Got 1.' }],
    ],
    [
      'an unknown segment with none defined',
      { $segment: 'cyclists' },
      [{ path: ['$segment'], message: 'Unknown segment "cyclists". No segments are defined.' }],
    ],
    [
      'nesting past the limit',
      nest(33),
      [{ path: Array(33).fill('$not'), message: 'Expected conditions nested at most 32 deep.' }],
    ],
    [
      'several problems at once',
      { country: 'fr', weekday: 'Monday', $or: [] },
      [
        { path: ['country'], message: 'Expected an ISO 3166-1 alpha-2 country code. Got "fr".' },
        {
          path: ['weekday'],
          message:
            'Expected one of "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday". Got "Monday".',
        },
        { path: ['$or'], message: 'Expected at least one condition. Got [].' },
      ],
    ],
  ])('%s', (_label, json, expected) => {
    expect(compileCondition(json, testEnv()).issues).toEqual(expected)
  })

  it('names the segments there are', () => {
    const { segments } = compileSegments(
      { cyclist: { 'prefs.interests': 'cycling' }, runner: {} },
      testEnv()
    )
    expect(compileCondition({ $segment: 'cyclists' }, testEnv(segments)).issues).toEqual([
      {
        path: ['$segment'],
        message: 'Unknown segment "cyclists". Expected one of: cyclist, runner.',
      },
    ])
  })

  it('cuts a long value in the message', () => {
    const { issues } = compileCondition({ city: { a: 'x'.repeat(100) } }, testEnv())
    expect(issues).toEqual([
      // 60 characters of JSON at most: 57 and "...", then the sentence's own full stop.
      { path: ['city'], message: `Expected a string. Got {"a":"${'x'.repeat(51)}....` },
    ])
  })
})

describe('compileSegments', () => {
  it('reports a cycle where it closes, in each segment on it', () => {
    const { segments, issues } = compileSegments(
      {
        a: { $or: [{ country: 'FR' }, { $segment: 'b' }] },
        b: { $and: [{ eu: true }, { $segment: 'c' }] },
        c: { $not: { $segment: 'a' } },
        fine: { country: 'BE' },
      },
      testEnv()
    )
    expect(issues).toEqual([
      {
        segment: 'a',
        path: ['$or', 1, '$segment'],
        message: 'Expected no cycle between segments. Got a → b → c → a.',
      },
      {
        segment: 'b',
        path: ['$and', 1, '$segment'],
        message: 'Expected no cycle between segments. Got b → c → a → b.',
      },
      {
        segment: 'c',
        path: ['$not', '$segment'],
        message: 'Expected no cycle between segments. Got c → a → b → c.',
      },
    ])
    expect(Object.keys(segments).sort()).toEqual(['a', 'b', 'c', 'fine'])
    // A segment in a cycle never matches, even through $not.
    const facts = { utm: {}, path: '/', returning: false, gpc: false, prefs: {}, country: 'FR' }
    expect(segments.a?.test(facts)).toBe(false)
    expect(segments.c?.test(facts)).toBe(false)
  })

  it('reports a segment that references itself', () => {
    expect(compileSegments({ me: { $not: { $segment: 'me' } } }, testEnv()).issues).toEqual([
      {
        segment: 'me',
        path: ['$not', '$segment'],
        message: 'Expected no cycle between segments. Got me → me.',
      },
    ])
  })

  it('reports an unknown reference, and a reference to a segment with problems', () => {
    const { segments, issues } = compileSegments(
      { a: { $segment: 'cyclists' }, b: { $not: { $segment: 'a' } }, cyclist: {} },
      testEnv()
    )
    expect(issues).toEqual([
      {
        segment: 'a',
        path: ['$segment'],
        message: 'Unknown segment "cyclists". Expected one of: a, b, cyclist.',
      },
      {
        segment: 'b',
        path: ['$not', '$segment'],
        message: 'Expected a segment that compiles. Got "a", which has problems of its own.',
      },
    ])
    // And a variant that references the broken segment gets an issue, so it cannot match everyone.
    const variant = compileCondition({ $not: { $segment: 'b' } }, testEnv(segments))
    expect(variant.issues).toEqual([
      {
        path: ['$not', '$segment'],
        message: 'Expected a segment that compiles. Got "b", which has problems of its own.',
      },
    ])
    expect(
      variant.condition.test({ utm: {}, path: '/', returning: false, gpc: false, prefs: {} })
    ).toBe(false)
  })

  it('reports problems inside a segment with its name', () => {
    expect(compileSegments({ x: { country: 'fr' } }, testEnv()).issues).toEqual([
      {
        segment: 'x',
        path: ['country'],
        message: 'Expected an ISO 3166-1 alpha-2 country code. Got "fr".',
      },
    ])
  })

  it('keeps a segment named like a prototype key as a plain key', () => {
    const { segments, issues } = compileSegments(
      JSON.parse('{"__proto__": {"country": "FR"}}'),
      testEnv()
    )
    expect(issues).toEqual([])
    expect(Object.hasOwn(segments, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(segments)).toBe(Object.prototype)
  })

  it('follows a long chain without exhausting the stack', () => {
    const json: Record<string, unknown> = { s0: { country: 'FR' } }
    for (let i = 1; i < 5000; i++) {
      json[`s${i}`] = { $segment: `s${i - 1}` }
    }
    const { segments, issues } = compileSegments(json, testEnv())
    expect(issues).toEqual([])
    expect(
      segments.s4999?.test({
        utm: {},
        path: '/',
        returning: false,
        gpc: false,
        prefs: {},
        country: 'FR',
      })
    ).toBe(true)
  })
})

/** `{ $not: { $not: … { country: 'FR' } } }`, `depth` levels deep. */
function nest(depth: number): unknown {
  let json: unknown = { country: 'FR' }
  for (let i = 0; i < depth; i++) {
    json = { $not: json }
  }
  return json
}
