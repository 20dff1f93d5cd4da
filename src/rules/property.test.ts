// Property tests: compile never throws on any JSON; test() and explain() never throw on any facts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context/fields'
import { compileCondition, compileSegments } from '.'
import { unguarded } from './compile'
import { TEST_FIELDS, testEnv } from './fixtures'
import type { CompiledCondition, Operator, Reason } from './types'

const OPERATORS: readonly Operator[] = [
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$regex',
  '$all',
  '$size',
  '$segment',
]

const ODD = {
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
}

const { segments } = compileSegments(
  {
    cyclist: { 'prefs.interests': 'cycling' },
    evening: { daypart: { $in: ['evening', 'night'] } },
  },
  testEnv()
)
const ENV = testEnv(segments)

// Values a fact may hold: plausible ones, huge strings, and anything at all.
const HUGE = fc.constantFrom('a'.repeat(100_000), `/${'a'.repeat(5000)}x`, 'é'.repeat(3000))
const PLAUSIBLE = fc.constantFrom<unknown>(
  'FR',
  'BE',
  'evening',
  'night',
  'friday',
  'mobile',
  'fr',
  'cycling',
  '/blog/post',
  0,
  12,
  18,
  23,
  -1,
  Number.NaN,
  true,
  false,
  null,
  undefined,
  ['cycling', 'running'],
  [],
  {}
)
const factValue = fc.oneof(PLAUSIBLE, HUGE, fc.string(), fc.anything(ODD))

/** Facts shaped like the real ones, each field absent, plausible or odd. */
const shapedFacts = fc.record(
  {
    country: factValue,
    region: factValue,
    city: factValue,
    continent: factValue,
    eu: factValue,
    timezone: factValue,
    localHour: factValue,
    daypart: factValue,
    weekday: factValue,
    weekend: factValue,
    device: factValue,
    language: factValue,
    referrer: factValue,
    utm: fc.oneof(
      fc.record(
        { source: factValue, medium: factValue, campaign: factValue },
        { requiredKeys: [] }
      ),
      factValue
    ),
    path: factValue,
    returning: factValue,
    gpc: factValue,
    prefs: fc.oneof(
      fc.record(
        { interests: factValue, language: factValue, newsletter: factValue, name: factValue },
        { requiredKeys: [] }
      ),
      factValue
    ),
  },
  { requiredKeys: [] }
)
const anyFacts = fc.oneof(shapedFacts, fc.anything(ODD)) as fc.Arbitrary<Facts>

// Conditions from the grammar: mostly well-formed, with every kind of mistake mixed in.
const fieldName = fc.constantFrom(...Object.keys(TEST_FIELDS), 'contry', 'utm', '__proto__')
const operand = fc.oneof(
  fc.constantFrom<unknown>(
    'FR',
    'evening',
    'cycling',
    'fr',
    '^/blog',
    '(',
    '(a+)+',
    18,
    0,
    23,
    25,
    true,
    false,
    null,
    ['FR', 'BE'],
    ['cycling', 'hiking'],
    ['evening'],
    [18, 19],
    []
  ),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -2, max: 30 }),
  fc.double(),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 })
)
const fieldOperator = fc.constantFrom(
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$regex',
  '$options',
  '$all',
  '$size',
  '$foo'
)
/** A value the field accepts, so that most generated clauses compile. */
function goodValue(field: string): fc.Arbitrary<unknown> {
  const spec = TEST_FIELDS[field]
  if (!spec || spec.type === 'boolean') {
    return fc.boolean()
  }
  if (spec.type === 'number') {
    return fc.integer({ min: spec.range?.[0] ?? -5, max: spec.range?.[1] ?? 5 })
  }
  if (spec.values) {
    return fc.constantFrom(...spec.values)
  }
  if (field === 'country') {
    return fc.constantFrom('FR', 'BE', 'GB', 'XX')
  }
  if (field === 'language') {
    return fc.constantFrom('fr', 'en', 'pt-BR')
  }
  return fc.oneof(fc.constantFrom('/blog/post', 'news', 'Paris'), fc.string({ maxLength: 6 }))
}

/** A clause that compiles: a field with a fitting operator and value. */
const goodClause = fc.constantFrom(...Object.keys(TEST_FIELDS)).chain((field) => {
  const spec = TEST_FIELDS[field]
  const value = goodValue(field)
  const values = fc.array(value, { minLength: 1, maxLength: 3 })
  const ops: fc.Arbitrary<unknown>[] = [
    value,
    value.map(($eq) => ({ $eq })),
    value.map(($ne) => ({ $ne })),
    values.map(($in) => ({ $in })),
    values.map(($nin) => ({ $nin })),
    fc.boolean().map(($exists) => ({ $exists })),
  ]
  if (spec?.type !== 'boolean') {
    ops.push(
      fc.tuple(value, value).map(([$gte, $lt]) => ({ $gte, $lt })),
      value.map(($gt) => ({ $gt })),
      value.map(($lte) => ({ $lte }))
    )
  }
  if (spec?.type === 'string') {
    ops.push(
      fc.constantFrom({ $regex: '^/blog' }, { $regex: 'a', $options: 'i' }, { $regex: '^[A-Z]' })
    )
  }
  if (spec?.list) {
    ops.push(
      values.map(($all) => ({ $all })),
      fc.nat(3).map(($size) => ({ $size }))
    )
  }
  return fc.oneof(...ops).map((v) => ({ [field]: v }))
})

const { condition: conditionJson } = fc.letrec<{ condition: unknown; fieldValue: unknown }>(
  (tie) => ({
    fieldValue: fc.oneof(
      { depthSize: 'small' },
      operand,
      fc.dictionary(fieldOperator, operand, { maxKeys: 3 }),
      fc.record({ $not: tie('fieldValue') })
    ),
    condition: fc.oneof(
      { depthSize: 'small' },
      { arbitrary: goodClause, weight: 4 },
      fc.dictionary(fieldName, tie('fieldValue'), { maxKeys: 3 }),
      { arbitrary: fc.record({ $and: fc.array(tie('condition'), { maxLength: 3 }) }), weight: 2 },
      { arbitrary: fc.record({ $or: fc.array(tie('condition'), { maxLength: 3 }) }), weight: 2 },
      fc.record({ $nor: fc.array(tie('condition'), { maxLength: 3 }) }),
      { arbitrary: fc.record({ $not: tie('condition') }), weight: 2 },
      fc.record({ $segment: fc.constantFrom('cyclist', 'evening', 'nope') }),
      operand
    ),
  })
)

/** Checks one compiled condition against one set of facts, through the raw tree (no guard). */
function assertTotal(condition: CompiledCondition, facts: Facts): void {
  const raw = unguarded(condition)
  expect(raw).toBeDefined()
  const held = raw?.test(facts)
  const reasons = raw?.explain(facts) ?? []
  expect(typeof held).toBe('boolean')
  expect(condition.test(facts)).toBe(held)
  if (!held) {
    expect(reasons).toEqual([])
  }
  for (const reason of reasons) {
    expect(isReason(reason)).toBe(true)
  }
}

function isReason(reason: Reason): boolean {
  return (
    typeof reason.field === 'string' &&
    OPERATORS.includes(reason.op) &&
    typeof reason.text === 'string' &&
    reason.text.length > 0 &&
    reason.text.length < 400
  )
}

describe('the generator', () => {
  it('gives well-formed conditions often enough for the properties below to mean something', () => {
    const samples = fc.sample(conditionJson, { numRuns: 1000, seed: 42 })
    const valid = samples.filter((json) => compileCondition(json, ENV).issues.length === 0)
    expect(valid.length).toBeGreaterThan(300)
    expect(valid.length).toBeLessThan(900)
  })
})

// Generous timeouts: thousands of runs, some with 100 000-character strings, on a slow CI machine.
describe('compileCondition on arbitrary input', { timeout: 30_000 }, () => {
  it('never throws on arbitrary JSON, and reports issues as path and message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), conditionJson), (json) => {
        const { condition, issues } = compileCondition(json, ENV)
        expect(typeof condition.test).toBe('function')
        for (const issue of issues) {
          expect(Array.isArray(issue.path)).toBe(true)
          expect(issue.message).toMatch(/[.)]$/)
        }
      }),
      { numRuns: 2000 }
    )
  })

  it('never throws on arbitrary values (not only JSON)', () => {
    fc.assert(
      fc.property(fc.anything(ODD), (value) => {
        compileCondition(value, ENV)
        compileCondition({ country: value, $and: [{ city: { $in: value } }] }, ENV)
      }),
      { numRuns: 1000 }
    )
  })

  it('never throws on arbitrary segments', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'cyclist'), conditionJson, { maxKeys: 4 }),
        (json) => {
          const result = compileSegments(json as Record<string, unknown>, ENV)
          compileCondition({ $segment: 'a' }, testEnv(result.segments))
        }
      ),
      { numRuns: 500 }
    )
  })
})

describe('test() and explain() on arbitrary facts', { timeout: 30_000 }, () => {
  it('never throw, and explain() is [] exactly when test() is false', () => {
    fc.assert(
      fc.property(
        conditionJson,
        fc.array(anyFacts, { minLength: 1, maxLength: 4 }),
        (json, all) => {
          const { condition } = compileCondition(json, ENV)
          for (const facts of all) {
            assertTotal(condition, facts)
          }
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('a condition with issues never matches', () => {
    fc.assert(
      fc.property(conditionJson, anyFacts, (json, facts) => {
        const { condition, issues } = compileCondition(json, ENV)
        fc.pre(issues.length > 0)
        expect(condition.test(facts)).toBe(false)
        expect(condition.explain(facts)).toEqual([])
      }),
      { numRuns: 1000 }
    )
  })

  it('$not and $nor are the exact negation of a valid condition', () => {
    fc.assert(
      fc.property(conditionJson, anyFacts, (json, facts) => {
        const base = compileCondition(json, ENV)
        fc.pre(base.issues.length === 0)
        const held = base.condition.test(facts)
        expect(compileCondition({ $not: json }, ENV).condition.test(facts)).toBe(!held)
        expect(compileCondition({ $nor: [json] }, ENV).condition.test(facts)).toBe(!held)
        expect(compileCondition({ $and: [json, json] }, ENV).condition.test(facts)).toBe(held)
        expect(compileCondition({ $or: [json, { $not: json }] }, ENV).condition.test(facts)).toBe(
          true
        )
      }),
      { numRuns: 2000 }
    )
  })

  it('a valid condition that holds gives at least one reason, unless it holds through {}', () => {
    // Every run asserts (a reason when it holds, none when it does not), and the counts below
    // prove both branches ran often: the property cannot pass by never reaching its check.
    let held = 0
    let failed = 0
    fc.assert(
      fc.property(
        conditionJson,
        fc.array(anyFacts, { minLength: 1, maxLength: 4 }),
        (json, all) => {
          const { condition, issues } = compileCondition(json, ENV)
          // The empty condition holds without a clause to name, so it gives no reason.
          fc.pre(issues.length === 0 && !JSON.stringify(json).includes('{}'))
          for (const facts of all) {
            if (condition.test(facts)) {
              held++
              expect(condition.explain(facts).length).toBeGreaterThan(0)
            } else {
              failed++
              expect(condition.explain(facts)).toEqual([])
            }
          }
        }
      ),
      { numRuns: 2000 }
    )
    expect(held).toBeGreaterThan(100)
    expect(failed).toBeGreaterThan(100)
  })
})
