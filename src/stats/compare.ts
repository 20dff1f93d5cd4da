// An arm against control (or personalised against holdout): relative uplift, p-value, chance to beat.
import { probabilityBBeatsA } from './beta'
import type { ArmTotals, Interval, RateEstimate } from './proportion'
import { DEFAULT_LEVEL, cleanTotals, estimateRate, zForLevel } from './proportion'
import { twoSidedNormalP } from './special'

/** How one arm does against the control arm, for one goal. Every field is finite or `null`. */
export interface Comparison {
  /** Relative uplift (p_T − p_C) / p_C; `null` when either arm has no units or control's rate is 0. */
  readonly uplift: number | null
  /** Delta-method interval of the relative uplift; `null` exactly when `uplift` is. */
  readonly upliftInterval: Interval | null
  /** Two-sided p-value of the pooled two-proportion z-test; `null` when either arm has no units. */
  readonly pValue: number | null
  /** P(p_T > p_C) under Beta(1 + conversions, 1 + units − conversions) posteriors; `null` when either arm has no units. */
  readonly chanceToBeat: number | null
}

/** One arm's line in a goal's table. */
export interface ArmResult extends RateEstimate {
  /** Against control; `null` for the control arm itself. */
  readonly versusControl: Comparison | null
}

/** Options shared by the comparisons. */
export interface CompareOptions {
  /** Confidence level of every interval. Default 0.95; outside [0.5, 0.999999] it falls back to 0.95. */
  readonly level?: number
}

/**
 * The relative uplift and its interval by the delta method, as gbstats does for relative effects
 * (`docs/statistics/details.mdx`), with the proportion variance σ² = p(1 − p):
 *
 *   Δr = (p_T − p_C)/p_C,  Var(Δr) = σ²_C·p_T²/(p_C⁴·n_C) + σ²_T/(p_C²·n_T),  Δr ± z·√Var
 *
 * z is the normal quantile (gbstats uses Student t with Welch's df, which differs from z by less
 * than 1% once each arm has 100 units). The interval can reach below −100%: the delta method is
 * symmetric; read it as "no evidence of a gain". `null` when an arm is empty or p_C = 0.
 */
export function relativeUplift(
  control: ArmTotals,
  treatment: ArmTotals,
  level: number = DEFAULT_LEVEL
): { uplift: number; interval: Interval } | null {
  const c = cleanTotals(control)
  const t = cleanTotals(treatment)
  if (c.units === 0 || t.units === 0 || c.conversions === 0) {
    return null
  }
  const pC = c.conversions / c.units
  const pT = t.conversions / t.units
  const uplift = (pT - pC) / pC
  const variance =
    (pC * (1 - pC) * pT * pT) / (pC ** 4 * c.units) + (pT * (1 - pT)) / (pC * pC * t.units)
  const half = zForLevel(level) * Math.sqrt(variance)
  return { uplift, interval: { lower: uplift - half, upper: uplift + half } }
}

/**
 * The two-sided p-value of the pooled two-proportion z-test:
 *
 *   p̂ = (x_C + x_T)/(n_C + n_T),  z = (p_T − p_C) / √(p̂(1 − p̂)(1/n_C + 1/n_T)),  p = P(|Z| ≥ |z|)
 *
 * Pooled (not Welch's unpooled variance as in gbstats) because under the null hypothesis the two
 * rates are equal, and because it stays defined when one arm sits at 0% or 100%. When both arms
 * are at 0% or both at 100% the rates are equal and p = 1. `null` when either arm is empty.
 * Beware: near p = 0.05 it can disagree with whether the uplift interval covers 0, which uses the
 * unpooled delta-method variance; the two answer slightly different questions.
 */
export function twoProportionPValue(control: ArmTotals, treatment: ArmTotals): number | null {
  const c = cleanTotals(control)
  const t = cleanTotals(treatment)
  if (c.units === 0 || t.units === 0) {
    return null
  }
  const pooled = (c.conversions + t.conversions) / (c.units + t.units)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / c.units + 1 / t.units))
  const difference = t.conversions / t.units - c.conversions / c.units
  if (!(se > 0)) {
    return 1
  }
  return twoSidedNormalP(difference / se)
}

/**
 * The Bayesian chance that the treatment's true rate beats control's, with a uniform Beta(1, 1)
 * prior on each: exact, deterministic (see `probabilityBBeatsA`). `null` when either arm is empty:
 * with no data the answer would be the prior's 50%, which reads like a finding.
 *
 * @example chanceToBeat({ units: 1000, exposures: 1000, conversions: 50 },
 *                       { units: 1000, exposures: 1000, conversions: 70 }) // ≈ 0.97
 */
export function chanceToBeat(control: ArmTotals, treatment: ArmTotals): number | null {
  const c = cleanTotals(control)
  const t = cleanTotals(treatment)
  if (c.units === 0 || t.units === 0) {
    return null
  }
  return probabilityBBeatsA(
    1 + c.conversions,
    1 + c.units - c.conversions,
    1 + t.conversions,
    1 + t.units - t.conversions
  )
}

/**
 * Every statistic of `treatment` against `control` for one goal.
 *
 * @example compareArms(controlTotals, variantTotals).chanceToBeat
 */
export function compareArms(
  control: ArmTotals,
  treatment: ArmTotals,
  options: CompareOptions = {}
): Comparison {
  const uplift = relativeUplift(control, treatment, options.level)
  return {
    uplift: uplift?.uplift ?? null,
    upliftInterval: uplift?.interval ?? null,
    pValue: twoProportionPValue(control, treatment),
    chanceToBeat: chanceToBeat(control, treatment),
  }
}

/**
 * One goal's table: each arm's rate and interval, and each non-control arm against control.
 * `controlIndex` defaults to 0; an index outside the arms also means 0. No arms gives [].
 *
 * @example analyseGoal([{ units: 1000, exposures: 1200, conversions: 50 },
 *                       { units: 1000, exposures: 1210, conversions: 70 }])[1].versusControl
 */
export function analyseGoal(
  arms: readonly ArmTotals[],
  options: CompareOptions & { readonly controlIndex?: number } = {}
): ArmResult[] {
  const index = options.controlIndex ?? 0
  const controlIndex = Number.isInteger(index) && index >= 0 && index < arms.length ? index : 0
  const control = arms[controlIndex]
  return arms.map((arm, i) => ({
    ...estimateRate(arm, options.level),
    versusControl:
      i === controlIndex || control === undefined ? null : compareArms(control, arm, options),
  }))
}

/** Personalisation against the holdout, for the primary goal. */
export interface HoldoutLift {
  readonly personalised: RateEstimate
  readonly holdout: RateEstimate
  /** The same statistics as an arm against control, with the holdout as control. */
  readonly lift: Comparison
}

/**
 * Holdout lift: the personalised traffic's rate against the holdout's, with the same statistics as
 * an arm against control (the holdout plays control).
 *
 * @example holdoutLift(personalisedTotals, holdoutTotals).lift.uplift
 */
export function holdoutLift(
  personalised: ArmTotals,
  holdout: ArmTotals,
  options: CompareOptions = {}
): HoldoutLift {
  return {
    personalised: estimateRate(personalised, options.level),
    holdout: estimateRate(holdout, options.level),
    lift: compareArms(holdout, personalised, options),
  }
}
