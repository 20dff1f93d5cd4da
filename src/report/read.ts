// Read every experiment's store (rows by day and a bandit's weights) and build the reports.
import type { CompiledConfig } from '../config'
import { HOLDOUT_ID } from '../experiments'
import type { ExperimentStore, TotalRow } from '../measure'
import { isSuppressed } from '../stats'
import type { ExperimentReport, StoreData } from './model'
import { experimentReport } from './model'

type Compiled = Pick<CompiledConfig, 'experiments' | 'holdout' | 'config'>
type Store = DurableObjectNamespace<ExperimentStore> | undefined

/** The ids the report covers: every experiment of the config, then the holdout if there is one. */
export const reportIds = (compiled: Compiled): string[] => [
  ...compiled.experiments.map((e) => e.id),
  ...(compiled.holdout ? [HOLDOUT_ID] : []),
]

/** One store's rows and weights; a store that fails says so instead. */
export async function readStore(store: Store, id: string): Promise<StoreData> {
  if (!store) {
    return { rows: [], weights: [], error: 'No TAILOR_EXPERIMENTS binding: nothing is counted.' }
  }
  try {
    const stub = store.get(store.idFromName(id))
    const [rows, weights] = await Promise.all([stub.rows(), stub.weights()])
    return { rows, weights }
  } catch (err) {
    return {
      rows: [],
      weights: [],
      error: `The store could not be read (${(err as Error).message}).`,
    }
  }
}

/**
 * The reports of one experiment id, or of all (in config order, the holdout last).
 * @example await readReports(compiled, env.TAILOR_EXPERIMENTS)
 */
export async function readReports(
  compiled: Compiled,
  store: Store,
  ids: string[] = reportIds(compiled)
): Promise<{ report: ExperimentReport; data: StoreData }[]> {
  const out = await Promise.all(
    ids.map(async (id) => {
      const data = await readStore(store, id)
      const report = experimentReport(compiled, id, data)
      return report ? { report, data } : undefined
    })
  )
  return out.filter((r) => r !== undefined)
}

/** A total row as exported: its numbers read "< 10" when its arm (or cell) has too few units. */
export type ExportedTotal = Omit<TotalRow, 'experiment' | 'count' | 'sum' | 'sumSquares'> & {
  count: number | string
  sum: number | string
  sumSquares: number | string
}

/**
 * The raw totals per (phase, arm, cell, metric), as /_tailor/admin/experiments.json has always
 * listed them, with small cells hidden: units are counted per (phase, arm, cell).
 */
export function exportTotals(
  data: StoreData,
  minCount: number,
  unitMetric: string
): ExportedTotal[] {
  const sums = new Map<string, TotalRow>()
  const units = new Map<string, number>()
  for (const r of data.rows) {
    const key = `${r.phase}|${r.arm}|${r.cell}|${r.metric}`
    const t = sums.get(key)
    if (t) {
      t.count += r.count
      t.sum += r.sum
      t.sumSquares += r.sumSquares
    } else {
      const { day: _day, ...rest } = r
      sums.set(key, { ...rest })
    }
    if (r.metric === unitMetric) {
      const u = `${r.phase}|${r.arm}|${r.cell}`
      units.set(u, (units.get(u) ?? 0) + r.count)
    }
  }
  return [...sums.values()].map(({ experiment: _e, ...t }) => {
    const small = isSuppressed(units.get(`${t.phase}|${t.arm}|${t.cell}`) ?? 0, minCount)
    const hide = `< ${minCount}`
    return small ? { ...t, count: hide, sum: hide, sumSquares: hide } : t
  })
}
