// The report's numbers for one experiment, from its store's rows alone, with small cells already hidden.
import type { CompiledConfig, CompiledGoal } from '../config'
import { HOLDOUT_ID } from '../experiments'
import type { CountRow, WeightsRow } from '../measure'
import type { ArmTotals, SrmResult, Verdict } from '../stats'
import {
  analyseGoal,
  estimateRate,
  isSuppressed,
  sampleRatioMismatch,
  suppressSmall,
  verdict,
} from '../stats'

/** A number as the report may show it: the value, `"< 10"` for a small cell, or null (none). */
export type Shown = number | string | null

/** What the store gave for one experiment (or the holdout). */
export type StoreData = { rows: CountRow[]; weights: WeightsRow[]; error?: string }

/** One arm's line in one goal's table. Every number is already suppressed where it must be. */
export type ArmLine = {
  id: string
  label: string
  units: Shown
  exposures: Shown
  conversions: Shown
  rate: Shown
  low: Shown
  high: Shown
  uplift: Shown
  upliftLow: Shown
  upliftHigh: Shown
  chance: Shown
  pValue: Shown
  left: Shown
}

export type GoalTable = { id: string; label: string; primary: boolean; arms: ArmLine[] }

/** One day of an arm's cumulative primary-goal rate, drawn only when the arm is not small. */
export type DayPoint = { day: number; rate: number; low: number; high: number }

/** The weights in force from `minute` on, per cell ("" pooled). */
export type WeightsPoint = { minute: number; weights: number[] }

export type ExperimentReport = {
  id: string
  label: string
  status: string
  phase: number
  allocation: 'fixed' | 'bandit' | 'holdout'
  arms: { id: string; label: string; weight: number }[]
  goals: GoalTable[]
  verdict: Verdict
  srm: Pick<SrmResult, 'alert' | 'pValue' | 'enoughData'> & { expected: Shown[] }
  /** Per arm, the primary goal's cumulative rate by day. */
  daily: DayPoint[][]
  /** A bandit's weights over time (pooled), and its newest weights per context cell. */
  weights: WeightsPoint[]
  cells: { cell: string; units: Shown[]; weights: number[] }[]
  minCount: number
  error?: string
}

const MINUTES_PER_DAY = 1440

/** Totals per arm for one metric of this phase, optionally for one day or one cell. */
function sum(
  rows: readonly CountRow[],
  arms: number,
  metric: string,
  keep: (r: CountRow) => boolean = () => true
): number[] {
  const out = Array.from({ length: arms }, () => 0)
  for (const r of rows) {
    if (r.metric === metric && r.arm < arms && keep(r)) {
      out[r.arm] = (out[r.arm] as number) + r.count
    }
  }
  return out
}

/** The weights in force for `cell` over `day`, averaged over the day's minutes. */
function weightsOnDay(
  history: readonly WeightsRow[],
  cell: string,
  day: number,
  fallback: number[]
): number[] {
  const own = history.filter((h) => h.cell === cell)
  const rows = own.length ? own : history.filter((h) => h.cell === '')
  const start = day * MINUTES_PER_DAY
  const end = start + MINUTES_PER_DAY
  const out = fallback.map(() => 0)
  let current = fallback
  let from = start
  const add = (w: number[], minutes: number) =>
    w.forEach((x, i) => (out[i] = (out[i] as number) + (x * minutes) / MINUTES_PER_DAY))
  for (const h of rows) {
    if (h.minute >= end) {
      break
    }
    if (h.minute > from) {
      add(current, h.minute - from)
      from = h.minute
    }
    current = h.weights
  }
  add(current, end - from)
  return out
}

/** One goal's denominator: page views for clicks and page-view units, else visitor units. */
const perOf = (goal: CompiledGoal, unit: string) =>
  goal.type === 'click' || unit === 'pageview' ? 'views' : 'units'

/**
 * The report of one experiment (or of the holdout: personalised against held out).
 * @example experimentReport(compiled, 'hero-cyclists', { rows, weights: [] })
 */
export function experimentReport(
  compiled: Pick<CompiledConfig, 'experiments' | 'holdout' | 'config'>,
  id: string,
  data: StoreData
): ExperimentReport | undefined {
  const minCount = compiled.config.report.minCount
  const exp = compiled.experiments.find((e) => e.id === id)
  const h = id === HOLDOUT_ID ? compiled.holdout : undefined
  if (!exp && !h) {
    return undefined
  }
  const phase = exp?.phase ?? h?.phase ?? 1
  const unit = exp?.unit ?? 'visitor'
  const bandit = exp?.allocation === 'bandit'
  const arms = exp
    ? exp.arms.map((a) => ({ id: a.id, label: a.label, weight: a.weight }))
    : [
        { id: 'personalised', label: 'Personalised', weight: 1 - (h?.share ?? 0) },
        { id: 'held-out', label: 'Held out', weight: h?.share ?? 0 },
      ]
  const n = arms.length
  const rows = data.rows.filter((r) => r.phase === phase)
  const history = data.weights.filter((w) => w.phase === phase)
  const unitMetric = unit === 'pageview' ? 'views' : 'units'
  const units = sum(rows, n, unitMetric)
  const views = sum(rows, n, 'views')
  const left = sum(rows, n, 'left')
  const hidden = units.map((u) => isSuppressed(u, minCount))
  // The holdout plays control (arm 1): lift is personalised against held out, as holdoutLift does.
  const control = h ? 1 : 0
  // A comparison is hidden when either side is small: with the other side known, it gives it back.
  const show = (value: number | null | undefined, arm: number): Shown =>
    value == null
      ? null
      : suppressSmall(value, hidden[arm] || hidden[control] ? 0 : minCount, minCount)
  const own = (value: number | null | undefined, arm: number): Shown =>
    suppressSmall(value ?? null, units[arm] as number, minCount)

  // Expected units: configured weights, or for a bandit Σ over days and cells of units × weights then.
  const total = arms.reduce((a, b) => a + b.weight, 0) || 1
  let expected = arms.map((a) => a.weight / total)
  if (bandit) {
    const equal = arms.map(() => 1 / n)
    expected = equal.map(() => 0)
    const keys = new Set(
      rows.filter((r) => r.metric === unitMetric).map((r) => `${r.day}|${r.cell}`)
    )
    for (const key of keys) {
      const [day, cell = ''] = key.split('|')
      const count = sum(rows, n, unitMetric, (r) => `${r.day}|${r.cell}` === key).reduce(
        (a, b) => a + b,
        0
      )
      weightsOnDay(history, cell, Number(day), equal).forEach(
        (w, i) => (expected[i] = (expected[i] as number) + count * w)
      )
    }
  }
  const srm = sampleRatioMismatch(units, expected)

  const goals = (exp?.goals ?? h?.goals ?? []).map((goal): GoalTable => {
    const denominator = perOf(goal, unit) === 'views' ? views : units
    const conversions = sum(rows, n, `goal:${goal.id}`)
    const totals: ArmTotals[] = arms.map((_, i) => ({
      units: denominator[i] as number,
      exposures: views[i] as number,
      conversions: conversions[i] as number,
    }))
    const results = analyseGoal(totals, { controlIndex: control })
    return {
      id: goal.id,
      label: goal.label,
      primary: goal.primary,
      arms: results.map((r, i) => {
        const vs = r.versusControl
        return {
          id: arms[i]!.id,
          label: arms[i]!.label,
          units: own(units[i], i),
          exposures: own(r.exposures, i),
          conversions: own(r.conversions, i),
          rate: own(r.rate, i),
          low: own(r.interval?.lower, i),
          high: own(r.interval?.upper, i),
          uplift: show(vs?.uplift, i),
          upliftLow: show(vs?.upliftInterval?.lower, i),
          upliftHigh: show(vs?.upliftInterval?.upper, i),
          chance: show(vs?.chanceToBeat, i),
          pValue: show(vs?.pValue, i),
          left: suppressSmall(left[i] as number, left[i] as number, minCount),
        }
      }),
    }
  })
  const primary = goals.find((g) => g.primary) ?? goals[0]
  const primaryGoal = (exp?.goals ?? h?.goals ?? []).find((g) => g.id === primary?.id)
  const v =
    hidden.some(Boolean) && !srm.alert
      ? {
          status: 'no-data' as const,
          text: `Too early to show: every arm needs at least ${minCount} units.`,
          arm: null,
        }
      : verdict({
          arms: (primary?.arms ?? []).map((a, i) => ({
            label: a.label,
            units: units[i] as number,
            chanceToBeat: typeof a.chance === 'number' ? a.chance : null,
          })),
          controlIndex: control,
          srm,
        })

  // Daily cumulative rate of the primary goal, per arm, from the first day the arm is not small.
  const days = [...new Set(rows.map((r) => r.day))].sort((a, b) => a - b)
  const daily = arms.map((_, i) => {
    let u = 0
    let c = 0
    const points: DayPoint[] = []
    const per = primaryGoal ? perOf(primaryGoal, unit) : unitMetric
    for (const day of days) {
      for (const r of rows) {
        if (r.arm === i && r.day === day) {
          u += r.metric === per ? r.count : 0
          c += r.metric === `goal:${primaryGoal?.id}` ? r.count : 0
        }
      }
      const est = estimateRate({ units: u, exposures: u, conversions: c })
      if (!isSuppressed(u, minCount) && est.rate !== null && est.interval) {
        points.push({ day, rate: est.rate, low: est.interval.lower, high: est.interval.upper })
      }
    }
    return points
  })

  const cellNames = [...new Set(history.map((w) => w.cell))].filter(Boolean).sort()
  const cells = cellNames.map((cell) => {
    const last = history.filter((w) => w.cell === cell).at(-1)
    const cellUnits = sum(rows, n, unitMetric, (r) => r.cell === cell)
    return {
      cell,
      units: cellUnits.map((u) => suppressSmall(u, u, minCount)),
      weights: last?.weights ?? [],
    }
  })

  return {
    id,
    label: exp?.label ?? 'Holdout: does personalisation help at all?',
    status: exp?.status ?? 'running',
    phase,
    allocation: h ? 'holdout' : bandit ? 'bandit' : 'fixed',
    arms,
    goals,
    verdict: v,
    srm: {
      alert: srm.alert,
      pValue: srm.pValue,
      enoughData: srm.enoughData,
      expected: srm.expected.map((e, i) => own(Math.round(e), i)),
    },
    daily,
    weights: history
      .filter((w) => w.cell === '')
      .map((w) => ({ minute: w.minute, weights: w.weights })),
    cells,
    minCount,
    error: data.error,
  }
}

/** The holdout's lift on its primary goal, for the list page; undefined without a holdout. */
export function liftOf(report: ExperimentReport | undefined):
  | {
      uplift: Shown
      low: Shown
      high: Shown
      chance: Shown
    }
  | undefined {
  const goal = report?.goals.find((g) => g.primary) ?? report?.goals[0]
  const personalised = goal?.arms[0]
  if (!personalised) {
    return undefined
  }
  return {
    uplift: personalised.uplift,
    low: personalised.upliftLow,
    high: personalised.upliftHigh,
    chance: personalised.chance,
  }
}
