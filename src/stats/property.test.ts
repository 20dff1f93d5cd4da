// Property tests: whatever totals come in, every number that leaves the module is finite (or null).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ArmTotals } from '.'
import {
  analyseGoal,
  banditWeights,
  contextualBanditWeights,
  floorWeights,
  holdoutLift,
  sampleRatioMismatch,
  suppressSmall,
  verdict,
} from '.'

/** Walks any result and fails on a number that is NaN or infinite. */
function expectAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} = ${value}`).toBe(true)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`))
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      expectAllFinite(v, `${path}.${k}`)
    }
  } else {
    expect(['string', 'boolean', 'object'], `${path} has type ${typeof value}`).toContain(
      typeof value
    )
  }
}

// Counts as they might arrive from a broken store: small, realistic, huge, and not counts at all.
const count = fc.oneof(
  fc.nat(20),
  fc.integer({ min: 0, max: 2_000_000 }),
  fc.constantFrom(0, 1, 8, 100, 1e9, Number.MAX_SAFE_INTEGER, 1e300),
  fc.constantFrom(-1, -Infinity, Infinity, NaN, 0.5, 1e-300),
  fc.double()
)
// Conversions near the units keep the 100% corner common.
const totals: fc.Arbitrary<ArmTotals> = fc.oneof(
  fc.record({ units: count, exposures: count, conversions: count }),
  fc
    .tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 3 }))
    .map(([units, gap]) => ({ units, exposures: units, conversions: Math.max(0, units - gap) }))
)
const level = fc.oneof(fc.constant(undefined), fc.double(), fc.constantFrom(0.8, 0.95, 0.99))

describe('the statistics never return NaN or Infinity', () => {
  it('analyseGoal: rates, intervals, uplift, p-values and chances are finite or null', () => {
    fc.assert(
      fc.property(
        fc.array(totals, { minLength: 0, maxLength: 6 }),
        level,
        fc.integer({ min: -2, max: 8 }),
        (arms, lvl, controlIndex) => {
          const results = analyseGoal(arms, { level: lvl, controlIndex })
          expect(results).toHaveLength(arms.length)
          expectAllFinite(results)
          for (const r of results) {
            if (r.interval) {
              expect(0 <= r.interval.lower && r.interval.lower <= r.interval.upper).toBe(true)
              expect(r.interval.upper).toBeLessThanOrEqual(1)
            }
            const c = r.versusControl
            if (c?.pValue != null) {
              expect(c.pValue >= 0 && c.pValue <= 1).toBe(true)
            }
            if (c?.chanceToBeat != null) {
              expect(c.chanceToBeat >= 0 && c.chanceToBeat <= 1).toBe(true)
            }
            expect(c?.uplift === null).toBe(c?.upliftInterval === null)
          }
        }
      ),
      { numRuns: 400 }
    )
  })

  it('holdoutLift is finite or null', () => {
    fc.assert(
      fc.property(totals, totals, level, (personalised, holdout, lvl) => {
        expectAllFinite(holdoutLift(personalised, holdout, { level: lvl }))
      }),
      { numRuns: 300 }
    )
  })

  it('sampleRatioMismatch is finite, with p in [0, 1], for any observed and expected lists', () => {
    fc.assert(
      fc.property(
        fc.array(count, { maxLength: 9 }),
        fc.array(fc.oneof(count, fc.double({ min: 0, max: 1 })), { maxLength: 9 }),
        (observed, expected) => {
          const result = sampleRatioMismatch(observed, expected)
          expectAllFinite(result)
          expect(result.pValue >= 0 && result.pValue <= 1).toBe(true)
          expect(result.expected).toHaveLength(observed.length)
        }
      ),
      { numRuns: 400 }
    )
  })

  it('verdict always says something, for any labels, units and chances', () => {
    const arm = fc.record({
      label: fc.string(),
      units: count,
      chanceToBeat: fc.oneof(fc.constant(null), fc.double()),
    })
    fc.assert(
      fc.property(
        fc.array(arm, { maxLength: 5 }),
        fc.option(fc.record({ alert: fc.boolean(), pValue: fc.double() }), { nil: undefined }),
        (arms, srm) => {
          const v = verdict({ arms, srm })
          expect(v.text.length).toBeGreaterThan(10)
          expect(v.text).not.toMatch(/NaN|Infinity|undefined/)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('suppressSmall returns the value or the marker, never anything else', () => {
    fc.assert(
      fc.property(fc.double(), count, fc.oneof(fc.constant(undefined), count), (v, units, min) => {
        const shown = suppressSmall(v, units, min)
        expect(Object.is(shown, v) || (typeof shown === 'string' && /^< \d+$/.test(shown))).toBe(
          true
        )
      })
    )
  })
})

describe('bandit weights always form a distribution that respects the floor', () => {
  const floor = fc.oneof(fc.constantFrom(0, 0.01, 0.05, 0.2, 0.5), fc.double())

  it('floorWeights: sums to 1 within 1e-12, each ≥ floor when the floor is feasible', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(count, fc.double()), { maxLength: 8 }), floor, (raw, f) => {
        const weights = floorWeights(raw, f)
        expect(weights).toHaveLength(raw.length)
        expectAllFinite(weights)
        if (weights.length > 0) {
          expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12)
          const feasible = f > 0 && f * weights.length < 1
          for (const w of weights) {
            expect(w).toBeGreaterThanOrEqual(feasible ? f : 0)
          }
        }
      }),
      { numRuns: 500 }
    )
  })

  it('banditWeights and contextualBanditWeights: finite, summing to 1, floored after burn-in', () => {
    fc.assert(
      fc.property(
        fc.array(totals, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(0.01, 0.05, 0.1),
        fc.integer(),
        (arms, f, seed) => {
          const options = { floor: f, draws: 50, seed, minExposures: 100 }
          const result = banditWeights(arms, options)
          expectAllFinite(result)
          expect(Math.abs(result.weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12)
          if (result.phase === 'thompson') {
            expect(Math.min(...result.weights)).toBeGreaterThanOrEqual(f)
          }
          const contextual = contextualBanditWeights({ a: arms, b: arms.slice(1) }, options)
          expectAllFinite(contextual)
        }
      ),
      { numRuns: 150 }
    )
  })
})
