// Sample-ratio mismatch: Pearson's chi-square of observed units against the expected split.
import { cleanCount } from './proportion'
import { chiSquareSf } from './special'

/** The SRM check's defaults, as GrowthBook ships them (`packages/shared/src/constants.ts`). */
export const SRM_DEFAULTS = {
  /** Alert below this p-value (`DEFAULT_SRM_THRESHOLD`). */
  threshold: 0.001,
  /** Alert only when every arm has at least this many units (`DEFAULT_SRM_MINIMINUM_COUNT_PER_VARIATION`). */
  minUnitsPerArm: 8,
} as const

/** Options of `sampleRatioMismatch`. */
export interface SrmOptions {
  /** Alert below this p-value. Default 0.001. */
  readonly threshold?: number
  /** Every arm needs at least this many units before an alert. Default 8. */
  readonly minUnitsPerArm?: number
}

/** The outcome of the SRM check. Every number is finite. */
export interface SrmResult {
  /** Pearson's χ² = Σ (o − e)²/e over the arms with a positive expected share. */
  readonly chiSquare: number
  /** Degrees of freedom: arms with a positive expected share, minus 1 (0 when fewer than 2). */
  readonly degreesOfFreedom: number
  /** P(χ²_df ≥ chiSquare); 1 when there are no units or fewer than 2 arms to compare. */
  readonly pValue: number
  /** Units expected per arm, the observed total split by the expected shares (0 for a skipped arm). */
  readonly expected: readonly number[]
  /** True when every compared arm has at least `minUnitsPerArm` units. */
  readonly enoughData: boolean
  /** The banner: `pValue < threshold` and `enoughData`. */
  readonly alert: boolean
}

/**
 * Checks the observed split of units against the expected one, as gbstats's `check_srm` does.
 *
 * `expected` is anything proportional to the intended split: the configured weights, or, for a
 * bandit or an experiment whose weights changed, the expected units per arm summed over the
 * periods (Σ over days of that day's units × that day's weight for the arm), which is how "the
 * weights in force when each unit was enrolled" enter the test. It is scaled to the observed total.
 *
 * Arms whose expected share is 0 (or not a positive finite number) are left out of the statistic,
 * as in gbstats. Missing entries in `expected` count as 0. Observed counts are cleaned like every
 * count in this module (non-negative integers).
 *
 * @example sampleRatioMismatch([5000, 5400], [0.5, 0.5]) // pValue ≈ 8.8e-5, alert: true
 */
export function sampleRatioMismatch(
  observed: readonly number[],
  expected: readonly number[],
  options: SrmOptions = {}
): SrmResult {
  const threshold = options.threshold ?? SRM_DEFAULTS.threshold
  const minUnits = options.minUnitsPerArm ?? SRM_DEFAULTS.minUnitsPerArm
  const counts = observed.map(cleanCount)
  const shares = counts.map((_, i) => {
    const w = expected[i] ?? 0
    return w > 0 && w < Infinity ? w : 0
  })
  // Shares relative to the largest, so that summing huge weights cannot overflow.
  const largest = Math.max(0, ...shares)
  let total = 0
  let shareSum = 0
  let compared = 0
  let enough = true
  counts.forEach((o, i) => {
    const w = shares[i] as number
    if (w > 0) {
      total += o
      shareSum += w / largest
      compared++
      enough &&= o >= minUnits
    }
  })
  const expectedUnits = shares.map((w) => (w > 0 ? (w / largest / shareSum) * total : 0))
  const degreesOfFreedom = Math.max(0, compared - 1)
  const enoughData = compared >= 2 && enough
  let chiSquare = 0
  counts.forEach((o, i) => {
    const e = expectedUnits[i] as number
    if (e > 0) {
      chiSquare += ((o - e) * (o - e)) / e
    }
  })
  // An expected share so tiny that e underflows relative to o can overflow χ²; cap it (p is 0 anyway).
  chiSquare = Math.min(chiSquare, Number.MAX_VALUE)
  const pValue =
    total === 0 || degreesOfFreedom === 0 ? 1 : chiSquareSf(chiSquare, degreesOfFreedom)
  return {
    chiSquare,
    degreesOfFreedom,
    pValue,
    expected: expectedUnits,
    enoughData,
    alert: enoughData && pValue < threshold,
  }
}
