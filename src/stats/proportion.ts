// One arm's conversion rate with its Wilson score interval, from plain totals.
import { normalQuantile } from './special'

/**
 * One arm's totals for one goal, as the experiments store keeps them (summed over days and cells).
 * `units` is the denominator of the rate; `exposures` (times the arm was shown) is carried through
 * for the table and the bandit burn-in.
 */
export interface ArmTotals {
  /** Enrolled units (consented visitors, or page views for the consentless stream). */
  readonly units: number
  /** Times the arm's block was really in a streamed page. */
  readonly exposures: number
  /** Units that reached the goal at least once (at most `units`). */
  readonly conversions: number
}

/** A two-sided interval, lower ≤ upper, both finite. */
export interface Interval {
  readonly lower: number
  readonly upper: number
}

/** An arm's cleaned totals and conversion rate. */
export interface RateEstimate {
  readonly units: number
  readonly exposures: number
  readonly conversions: number
  /** conversions / units; `null` when the arm has no units. */
  readonly rate: number | null
  /** Wilson score interval at the requested level, inside [0, 1]; `null` when the arm has no units. */
  readonly interval: Interval | null
}

/** The default confidence level of every interval in this module. */
export const DEFAULT_LEVEL = 0.95

/**
 * A count as this module uses it: a non-negative integer up to 2^53 − 1. NaN, negatives and
 * -Infinity become 0; fractions are floored; larger values (and +Infinity) are capped, which keeps
 * every derived variance finite.
 */
export function cleanCount(value: number): number {
  return value > 0 ? Math.floor(Math.min(value, Number.MAX_SAFE_INTEGER)) : 0
}

/**
 * Totals made safe: counts become non-negative integers (NaN, ±Infinity and negatives become 0,
 * fractions are floored) and conversions are capped at units, because a unit converts at most once.
 */
export function cleanTotals(totals: ArmTotals): ArmTotals {
  const units = cleanCount(totals.units)
  return {
    units,
    exposures: cleanCount(totals.exposures),
    conversions: Math.min(units, cleanCount(totals.conversions)),
  }
}

/**
 * The two-sided z for a confidence level, e.g. 1.959963984540054 for 0.95. A level outside
 * [0.5, 0.999999] (or not a number) falls back to 0.95, so no interval is ever infinite.
 */
export function zForLevel(level: number = DEFAULT_LEVEL): number {
  const safe = level >= 0.5 && level <= 0.999999 ? level : DEFAULT_LEVEL
  return normalQuantile(0.5 + safe / 2)
}

/**
 * The Wilson score interval for `conversions` out of `units` (Wilson 1927). Chosen over the Wald
 * interval p ± z·√(p(1−p)/n) because Wald collapses to [0, 0] at zero conversions and [1, 1] at
 * 100%, and undercovers at small n; Wilson stays inside [0, 1] and has sensible width at 0 and n.
 *
 *   centre = (p + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
 *
 * Returns `null` when `units` is 0 (after cleaning, see `cleanTotals`).
 *
 * @example wilsonInterval(0, 10) // { lower: 0, upper: 0.2775327998628892 }
 */
export function wilsonInterval(
  conversions: number,
  units: number,
  level: number = DEFAULT_LEVEL
): Interval | null {
  const n = cleanCount(units)
  if (n === 0) {
    return null
  }
  const x = Math.min(n, cleanCount(conversions))
  const p = x / n
  const z = zForLevel(level)
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // At x = 0 (or n) the exact bound is 0 (or 1); pin it instead of keeping a 1e-17 rounding residue.
  return {
    lower: x === 0 ? 0 : Math.max(0, centre - half),
    upper: x === n ? 1 : Math.min(1, centre + half),
  }
}

/**
 * An arm's rate and Wilson interval, from its totals (cleaned first).
 *
 * @example estimateRate({ units: 1000, exposures: 1400, conversions: 50 }).rate // 0.05
 */
export function estimateRate(totals: ArmTotals, level: number = DEFAULT_LEVEL): RateEstimate {
  const clean = cleanTotals(totals)
  return {
    ...clean,
    rate: clean.units === 0 ? null : clean.conversions / clean.units,
    interval: wilsonInterval(clean.conversions, clean.units, level),
  }
}
