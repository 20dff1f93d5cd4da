// Plain-words verdict for one goal's table, and small-count suppression for display and export.
import { cleanCount } from './proportion'

/** The verdict's defaults. */
export const VERDICT_DEFAULTS = {
  /** Units every arm needs before a result is called final (about 40 conversions at a 4% rate). */
  minUnitsPerArm: 1000,
  /** A variant at or above this chance to beat control leads (or wins, with enough units). */
  win: 0.95,
  /** When every variant is at or below this chance, control leads (or wins). */
  lose: 0.05,
} as const

/** One arm as the verdict needs it: its name, its units, and its chance to beat control. */
export interface VerdictArm {
  /** Shown as is; the renderer escapes it. An empty label becomes "Arm N". */
  readonly label: string
  readonly units: number
  /** From `compareArms`; `null` for the control arm and for an arm with no data. */
  readonly chanceToBeat: number | null
}

/** What the verdict is based on. */
export interface VerdictInput {
  readonly arms: readonly VerdictArm[]
  /** Which arm is control. Default 0 (also for an index outside the arms). */
  readonly controlIndex?: number
  /** The SRM check, if run; an alert overrides every other verdict. */
  readonly srm?: { readonly alert: boolean; readonly pValue: number }
}

/** Thresholds of the verdict; defaults in `VERDICT_DEFAULTS`. */
export interface VerdictOptions {
  readonly minUnitsPerArm?: number
  readonly win?: number
  readonly lose?: number
}

/** The kind of verdict, for styling. */
export type VerdictStatus =
  | 'no-data'
  | 'srm'
  | 'winner'
  | 'leading'
  | 'control-wins'
  | 'control-leading'
  | 'inconclusive'
  | 'keep-running'

/** A verdict: its kind, one sentence, and the arm it names (the leading variant, or control). */
export interface Verdict {
  readonly status: VerdictStatus
  readonly text: string
  /** Index of the arm the sentence is about; `null` for `no-data` and `srm`. */
  readonly arm: number | null
}

/** 1234567 → "1,234,567". */
export function formatCount(value: number): string {
  return String(cleanCount(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * A probability as a whole percentage, rounded down so that a displayed "95%" always means at
 * least 95%; below 1% it reads "<1%" and above 99% ">99%" (never a certain-sounding 0% or 100%).
 *
 * @example formatChance(0.9649) // "96%"
 */
export function formatChance(p: number): string {
  if (!(p >= 0.01)) {
    return '<1%'
  }
  if (p > 0.99) {
    return '>99%'
  }
  return `${Math.floor(p * 100 + 1e-9)}%`
}

/**
 * One sentence that says where an experiment stands, by these rules, in order:
 *
 * 1. Fewer than two arms, or any arm with no units or no chance to beat control: `no-data`.
 * 2. An SRM alert: `srm`, "check the split first"; no winner is named while the split is broken.
 * 3. The leader is the variant with the highest chance to beat control.
 *    - its chance ≥ `win` (95%): `winner` when every arm has `minUnitsPerArm` (1,000) units, else
 *      `leading` with "keep running until 1,000 units per arm";
 *    - every variant ≤ `lose` (5%): `control-wins`, or `control-leading` before the minimum;
 *    - otherwise `inconclusive` (enough units, no call) or `keep-running`.
 *
 * The minimum guards against peeking: Bayesian chances swing at small counts, and 1,000 units per
 * arm is where a 4% rate has about 40 conversions (GrowthBook's docs ask for ≥ 40 per variation).
 *
 * @example verdict({ arms: [{ label: 'Control', units: 600, chanceToBeat: null },
 *   { label: 'Gravel story', units: 610, chanceToBeat: 0.963 }] }).text
 * // "Gravel story leads: 96% chance to beat control; keep running until 1,000 units per arm."
 */
export function verdict(input: VerdictInput, options: VerdictOptions = {}): Verdict {
  const minUnits = cleanCount(options.minUnitsPerArm ?? VERDICT_DEFAULTS.minUnitsPerArm)
  const win = options.win ?? VERDICT_DEFAULTS.win
  const lose = options.lose ?? VERDICT_DEFAULTS.lose
  const { arms } = input
  const index = input.controlIndex ?? 0
  const control = Number.isInteger(index) && index >= 0 && index < arms.length ? index : 0
  const label = (i: number): string => arms[i]?.label.trim() || `Arm ${i + 1}`
  const variants = arms.map((_, i) => i).filter((i) => i !== control)
  const noData = {
    status: 'no-data',
    text: 'No result yet: every arm needs units.',
    arm: null,
  } as const
  if (variants.length === 0) {
    return { ...noData, text: 'Nothing to compare: an experiment needs a control and a variant.' }
  }
  if (input.srm?.alert) {
    return {
      status: 'srm',
      text: `Check the split first: units per arm do not match the weights (sample-ratio mismatch, ${formatP(input.srm.pValue)}).`,
      arm: null,
    }
  }
  if (arms.some((arm) => cleanCount(arm.units) === 0)) {
    return noData
  }
  let leader = variants[0] as number
  let best = -1
  for (const i of variants) {
    const chance = arms[i]?.chanceToBeat
    if (chance === null || chance === undefined || !Number.isFinite(chance)) {
      return noData
    }
    if (chance > best) {
      best = chance
      leader = i
    }
  }
  const enough = arms.every((arm) => cleanCount(arm.units) >= minUnits)
  const keepRunning = `keep running until ${formatCount(minUnits)} units per arm`
  const chance = `${formatChance(best)} chance to beat control`
  if (best >= win) {
    return enough
      ? { status: 'winner', text: `${label(leader)} wins: ${chance}.`, arm: leader }
      : {
          status: 'leading',
          text: `${label(leader)} leads: ${chance}; ${keepRunning}.`,
          arm: leader,
        }
  }
  if (best <= lose) {
    const reason =
      variants.length === 1
        ? `${label(leader)} has ${chance}`
        : `the best variant, ${label(leader)}, has ${chance}`
    return enough
      ? { status: 'control-wins', text: `${label(control)} wins: ${reason}.`, arm: control }
      : {
          status: 'control-leading',
          text: `${label(control)} leads: ${reason}; ${keepRunning}.`,
          arm: control,
        }
  }
  return enough
    ? {
        status: 'inconclusive',
        text: `No clear winner: ${label(leader)} has ${chance}, short of ${formatChance(win)}.`,
        arm: leader,
      }
    : {
        status: 'keep-running',
        text: `Too early to call: ${label(leader)} has ${chance}; ${keepRunning}.`,
        arm: leader,
      }
}

/** A p-value for a sentence: "p = 0.03", "p = 0.0003", or "p < 0.0001". */
export function formatP(p: number): string {
  if (!(p >= 0.0001)) {
    return 'p < 0.0001'
  }
  return `p = ${p >= 0.01 ? Math.min(p, 1).toFixed(2) : p.toPrecision(1)}`
}

/** Cells with fewer units than this are not shown or exported (the report's `minCount`). */
export const DEFAULT_MIN_COUNT = 10

/**
 * Whether a cell with `units` units must be suppressed: fewer than `minCount` (default 10). A
 * `minCount` that is not a non-negative number falls back to the default; 0 suppresses nothing.
 */
export function isSuppressed(units: number, minCount: number = DEFAULT_MIN_COUNT): boolean {
  return cleanCount(units) < safeMinCount(minCount)
}

function safeMinCount(minCount: number): number {
  return minCount >= 0 && Number.isFinite(minCount)
    ? Math.min(Math.ceil(minCount), Number.MAX_SAFE_INTEGER)
    : DEFAULT_MIN_COUNT
}

/**
 * Any number of a small cell replaced by a marker for display and export: `value` itself when the
 * cell has at least `minCount` units, else `"< 10"` (with the actual `minCount`). Apply it to every
 * number of the cell (units, conversions, rate, interval), not only the count, since a rate and a
 * large denominator elsewhere can give the count back.
 *
 * @example suppressSmall(3, 7) // "< 10"
 * @example suppressSmall(0.052, 1200) // 0.052
 */
export function suppressSmall<T>(
  value: T,
  units: number,
  minCount: number = DEFAULT_MIN_COUNT
): T | string {
  return isSuppressed(units, minCount) ? `< ${safeMinCount(minCount)}` : value
}
