// The words explain() gives: exact texts for every operator, negations and segments.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context/fields'
import { compileCondition, compileSegments } from '.'
import { makeFacts, testEnv } from './fixtures'
import type { CompiledCondition, Reason } from './types'

const { segments } = compileSegments(
  {
    cyclist: { 'prefs.interests': 'cycling' },
    eveningCyclist: { $segment: 'cyclist', daypart: 'evening' },
  },
  testEnv()
)
const foreign: CompiledCondition = {
  test: (facts) => facts.country === 'FR',
  explain: () => [{ field: 'country', op: '$eq', value: 'FR', text: 'your country is FR' }],
}
const ENV = testEnv({ ...segments, foreign })

function explain(condition: unknown, facts: Facts): Reason[] {
  const compiled = compileCondition(condition, ENV)
  expect(compiled.issues).toEqual([])
  return compiled.condition.explain(facts)
}

const FR = makeFacts({ country: 'FR' })
const NOWHERE = makeFacts()
const LIKES = (...interests: string[]) => makeFacts({ prefs: { interests } })
const EVENING = makeFacts({ daypart: 'evening', localHour: 20, weekday: 'friday', eu: true })

describe('explain() texts', () => {
  it.each<[string, unknown, Facts, string[]]>([
    // the examples the preference centre shows
    [
      'a value without a label',
      { language: 'fr' },
      makeFacts({ language: 'fr' }),
      ['your language is fr'],
    ],
    [
      'a value with a label',
      { 'prefs.language': 'fr' },
      makeFacts({ prefs: { language: 'fr' } }),
      ['your language is French'],
    ],
    [
      'a set preference',
      { 'prefs.interests': 'cycling' },
      LIKES('running', 'cycling'),
      ['you chose Cycling'],
    ],
    ['daypart', { daypart: 'evening' }, EVENING, ['it is evening where you are']],
    [
      'daypart, the value that matched',
      { daypart: { $in: ['night', 'evening'] } },
      EVENING,
      ['it is evening where you are'],
    ],
    ['weekday', { weekday: 'friday' }, EVENING, ['it is Friday where you are']],
    [
      'a long weekday is cut like every other value',
      { weekday: { $regex: 'a' } },
      // Not a weekday the context gives, but explain() must stay bounded on any facts.
      makeFacts({ weekday: 'a'.repeat(500) as Facts['weekday'] }),
      [`it is A${'a'.repeat(78)}… where you are`],
    ],
    ['a boolean says', { eu: true }, EVENING, ['you are in the EU']],
    ['a boolean says false', { eu: false }, makeFacts({ eu: false }), ['you are outside the EU']],
    [
      'a preference boolean',
      { 'prefs.newsletter': true },
      makeFacts({ prefs: { newsletter: true } }),
      ['you chose Newsletter'],
    ],
    [
      '$in names the visitor’s value',
      { country: { $in: ['FR', 'BE'] } },
      FR,
      ['your country is FR'],
    ],
    [
      '$in on a list',
      { 'prefs.interests': { $in: ['hiking', 'running'] } },
      LIKES('cycling', 'running'),
      ['you chose Running'],
    ],
    [
      '$eq',
      { device: { $eq: 'mobile' } },
      makeFacts({ device: 'mobile' }),
      ['your device is mobile'],
    ],
    ['$ne', { country: { $ne: 'BE' } }, FR, ['your country is not BE']],
    ['$ne, missing field', { country: { $ne: 'BE' } }, NOWHERE, ['your country is not BE']],
    [
      '$ne on a list',
      { 'prefs.interests': { $ne: 'hiking' } },
      LIKES('cycling'),
      ['you did not choose Hiking'],
    ],
    [
      '$ne on a boolean',
      { eu: { $ne: true } },
      makeFacts({ eu: false }),
      ['you are outside the EU'],
    ],
    [
      '$ne on an unknown boolean',
      { eu: { $ne: true } },
      NOWHERE,
      ['we could not tell whether you are in the EU'],
    ],
    [
      '$ne on daypart',
      { daypart: { $ne: 'morning' } },
      EVENING,
      ['it is not morning where you are'],
    ],
    ['$nin', { country: { $nin: ['BE', 'NL', 'LU'] } }, FR, ['your country is not BE, NL or LU']],
    [
      '$nin on a list',
      { 'prefs.interests': { $nin: ['hiking', 'running'] } },
      LIKES('cycling'),
      ['you did not choose Hiking or Running'],
    ],
    [
      '$gte on the hour',
      { localHour: { $gte: 18 } },
      EVENING,
      ['the hour where you are is 18 or later'],
    ],
    [
      '$gt on the hour',
      { localHour: { $gt: 18 } },
      EVENING,
      ['the hour where you are is after 18'],
    ],
    [
      '$lt on the hour',
      { localHour: { $lt: 12 } },
      makeFacts({ localHour: 9 }),
      ['the hour where you are is before 12'],
    ],
    [
      '$lte on the hour',
      { localHour: { $lte: 20 } },
      EVENING,
      ['the hour where you are is 20 or earlier'],
    ],
    [
      'a range on the hour',
      { localHour: { $gte: 18, $lt: 22 } },
      EVENING,
      ['the hour where you are is 18 or later', 'the hour where you are is before 22'],
    ],
    [
      '$gt on text',
      { city: { $gt: 'M' } },
      makeFacts({ city: 'Paris' }),
      ['your city is after M in alphabetical order'],
    ],
    [
      '$lte on text',
      { city: { $lte: 'Paris' } },
      makeFacts({ city: 'Paris' }),
      ['your city is Paris or before it in alphabetical order'],
    ],
    [
      '$exists true',
      { region: { $exists: true } },
      makeFacts({ region: 'IDF' }),
      ['we know your region'],
    ],
    ['$exists false', { region: { $exists: false } }, NOWHERE, ['we do not know your region']],
    [
      '$exists on a boolean',
      { eu: { $exists: false } },
      NOWHERE,
      ['we could not tell whether you are in the EU'],
    ],
    [
      '$exists on a list',
      { 'prefs.interests': { $exists: true } },
      LIKES('hiking'),
      ['you chose something for your interests'],
    ],
    [
      '$regex names the value',
      { path: { $regex: '^/blog/' } },
      makeFacts({ path: '/blog/tour' }),
      ['the page address is /blog/tour'],
    ],
    [
      '$regex on a long value',
      { path: { $regex: '^/a' } },
      makeFacts({ path: `/${'a'.repeat(200)}` }),
      [`the page address is /${'a'.repeat(78)}…`],
    ],
    [
      '$regex on a list',
      { 'prefs.interests': { $regex: '^h' } },
      LIKES('cycling', 'hiking'),
      ['you chose Hiking'],
    ],
    [
      '$all',
      { 'prefs.interests': { $all: ['cycling', 'running', 'hiking'] } },
      LIKES('hiking', 'running', 'cycling'),
      ['you chose Cycling, Running and Hiking'],
    ],
    [
      '$size',
      { 'prefs.interests': { $size: 2 } },
      LIKES('hiking', 'running'),
      ['you chose 2 options for your interests'],
    ],
    [
      '$size 1',
      { 'prefs.interests': { $size: 1 } },
      LIKES('hiking'),
      ['you chose 1 option for your interests'],
    ],
    [
      '$size 0',
      { 'prefs.interests': { $size: 0 } },
      LIKES(),
      ['you chose nothing for your interests'],
    ],
    // logical operators
    [
      'and: every clause',
      { eu: true, daypart: 'evening' },
      EVENING,
      ['you are in the EU', 'it is evening where you are'],
    ],
    [
      '$or: the first branch that held',
      { $or: [{ country: 'BE' }, { eu: true }, { daypart: 'evening' }] },
      EVENING,
      ['you are in the EU'],
    ],
    ['$not: the clause, negated', { $not: { country: 'BE' } }, FR, ['your country is not BE']],
    [
      '$not of $in',
      { $not: { country: { $in: ['BE', 'NL'] } } },
      FR,
      ['your country is not BE or NL'],
    ],
    ['$not of $nin', { $not: { country: { $nin: ['BE', 'FR'] } } }, FR, ['your country is FR']],
    ['$not of $ne', { $not: { country: { $ne: 'FR' } } }, FR, ['your country is FR']],
    [
      '$not of a boolean',
      { $not: { eu: true } },
      makeFacts({ eu: false }),
      ['you are outside the EU'],
    ],
    [
      '$not of a comparison',
      { $not: { localHour: { $gte: 18 } } },
      makeFacts({ localHour: 9 }),
      ['the hour where you are is before 18'],
    ],
    [
      '$not of a comparison, unknown',
      { $not: { localHour: { $gte: 18 } } },
      NOWHERE,
      ['we do not know the hour where you are'],
    ],
    [
      '$not of $regex',
      { $not: { path: { $regex: '^/blog' } } },
      makeFacts({ path: '/shop' }),
      ['the page address does not match "^/blog"'],
    ],
    [
      '$not of $exists',
      { $not: { region: { $exists: true } } },
      NOWHERE,
      ['we do not know your region'],
    ],
    [
      '$not of $all',
      { $not: { 'prefs.interests': { $all: ['cycling', 'hiking'] } } },
      LIKES('cycling'),
      ['you did not choose all of Cycling and Hiking'],
    ],
    [
      '$not of $size',
      { $not: { 'prefs.interests': { $size: 2 } } },
      LIKES('cycling'),
      ['you chose 1 option for your interests'],
    ],
    [
      '$not of and: the clause that failed',
      { $not: { country: 'FR', eu: true } },
      makeFacts({ country: 'FR', eu: false }),
      ['you are outside the EU'],
    ],
    [
      '$not of $or: every branch',
      { $not: { $or: [{ country: 'BE' }, { daypart: 'night' }] } },
      EVENING,
      ['your country is not BE', 'it is not night where you are'],
    ],
    [
      '$nor: every branch, negated',
      { $nor: [{ 'prefs.interests': 'hiking' }, { eu: true }] },
      LIKES('cycling'),
      ['you did not choose Hiking', 'we could not tell whether you are in the EU'],
    ],
    [
      '$not $not',
      { $not: { $not: { daypart: 'evening' } } },
      EVENING,
      ['it is evening where you are'],
    ],
    [
      'field $not',
      { daypart: { $not: { $in: ['morning', 'night'] } } },
      EVENING,
      ['it is not morning or night where you are'],
    ],
    ['the empty condition', {}, NOWHERE, []],
    // segments
    [
      'a segment: its own clauses',
      { $segment: 'cyclist' },
      LIKES('cycling'),
      ['you chose Cycling'],
    ],
    [
      'a segment that references another',
      { $segment: 'eveningCyclist' },
      makeFacts({ daypart: 'evening', prefs: { interests: ['cycling'] } }),
      ['you chose Cycling', 'it is evening where you are'],
    ],
    [
      'a negated segment',
      { $not: { $segment: 'cyclist' } },
      LIKES('running'),
      ['you did not choose Cycling'],
    ],
    ['a segment compiled elsewhere', { $segment: 'foreign' }, FR, ['your country is FR']],
    [
      'a segment compiled elsewhere, negated',
      { $not: { $segment: 'foreign' } },
      NOWHERE,
      ['you are not in the segment "foreign"'],
    ],
  ])('%s', (_label, condition, facts, texts) => {
    expect(explain(condition, facts).map((r) => r.text)).toEqual(texts)
  })

  it('returns [] when the condition does not hold', () => {
    expect(explain({ country: 'BE' }, FR)).toEqual([])
    expect(explain({ $or: [{ country: 'BE' }, { eu: true }] }, FR)).toEqual([])
  })
})

describe('explain() reasons', () => {
  it.each<[string, unknown, Facts, Reason]>([
    [
      '$in keeps its operand',
      { country: { $in: ['FR', 'BE'] } },
      FR,
      { field: 'country', op: '$in', value: ['FR', 'BE'], text: 'your country is FR' },
    ],
    [
      'a failed $eq reads as $ne',
      { $not: { country: 'BE' } },
      FR,
      { field: 'country', op: '$ne', value: 'BE', text: 'your country is not BE' },
    ],
    [
      'a failed $in reads as $nin',
      { $nor: [{ country: { $in: ['BE', 'NL'] } }] },
      FR,
      { field: 'country', op: '$nin', value: ['BE', 'NL'], text: 'your country is not BE or NL' },
    ],
    [
      'a failed $exists flips its value',
      { $not: { region: { $exists: true } } },
      NOWHERE,
      { field: 'region', op: '$exists', value: false, text: 'we do not know your region' },
    ],
    [
      'a failed comparison reads as its complement',
      { $not: { localHour: { $gt: 18 } } },
      makeFacts({ localHour: 18 }),
      {
        field: 'localHour',
        op: '$lte',
        value: 18,
        text: 'the hour where you are is 18 or earlier',
      },
    ],
    [
      'a comparison that failed for want of a value reads as $exists: false',
      { $not: { localHour: { $lt: 12 } } },
      NOWHERE,
      {
        field: 'localHour',
        op: '$exists',
        value: false,
        text: 'we do not know the hour where you are',
      },
    ],
    [
      'a comparison that failed on an odd value keeps its operator',
      { $not: { localHour: { $lt: 12 } } },
      makeFacts({ localHour: Number.NaN }),
      { field: 'localHour', op: '$lt', value: 12, text: 'the hour where you are is not before 12' },
    ],
  ])('%s', (_label, condition, facts, reason) => {
    expect(explain(condition, facts)).toEqual([reason])
  })
})
