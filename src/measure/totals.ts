// What GET /_tailor/admin/experiments.json returns: each experiment's totals, read from its store.
import type { CompiledConfig } from '../config'
import { HOLDOUT_ID } from '../experiments'
import type { ExperimentStore, TotalRow } from './store'

/** One experiment (or the holdout) with its arms and the store's totals per phase, arm and metric. */
export type ExperimentTotals = {
  id: string
  label: string
  status: string
  phase: number
  arms: { index: number; id: string; label: string }[]
  /** Rows summed over days; `error` instead when the store could not be read. */
  totals: Omit<TotalRow, 'experiment'>[]
  error?: string
}

/**
 * Read every experiment's totals (one store request each, in parallel). A store that fails says
 * so in its entry; the others still answer.
 * @example await experimentTotals(compiled, env.TAILOR_EXPERIMENTS)
 */
export async function experimentTotals(
  compiled: Pick<CompiledConfig, 'experiments' | 'holdout'>,
  store: DurableObjectNamespace<ExperimentStore> | undefined
): Promise<ExperimentTotals[]> {
  const entries: Omit<ExperimentTotals, 'totals'>[] = compiled.experiments.map((e) => ({
    id: e.id,
    label: e.label,
    status: e.status,
    phase: e.phase,
    arms: e.arms.map((a, index) => ({ index, id: a.id, label: a.label })),
  }))
  if (compiled.holdout) {
    entries.push({
      id: HOLDOUT_ID,
      label: `Holdout (${Math.round(compiled.holdout.share * 1000) / 10}% see no personalisation)`,
      status: 'running',
      phase: compiled.holdout.phase,
      arms: [
        { index: 0, id: 'personalised', label: 'Personalised' },
        { index: 1, id: 'held-out', label: 'Held out' },
      ],
    })
  }
  return Promise.all(
    entries.map(async (entry): Promise<ExperimentTotals> => {
      if (!store) {
        return { ...entry, totals: [], error: 'No TAILOR_EXPERIMENTS binding: nothing is counted.' }
      }
      try {
        const rows = await store.get(store.idFromName(entry.id)).totals()
        return { ...entry, totals: rows.map(({ experiment: _e, ...rest }) => rest) }
      } catch (err) {
        return {
          ...entry,
          totals: [],
          error: `The store could not be read (${(err as Error).message}).`,
        }
      }
    })
  )
}
