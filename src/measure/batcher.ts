// Increments buffered per isolate and flushed to the store at most about once a second per experiment.
import type { Increment } from '../experiments'
import { errorText, logOnce } from '../log'
import type { BanditSpec } from './bandit'
import { knownBanditSpecs, learnWeights } from './bandit'
import type { Batch, ExperimentStore, PingRow } from './store'

/** `ctx.waitUntil`: the flush runs after the response has left. */
type WaitUntil = (promise: Promise<unknown>) => void

/** Where counts go: the store (required to count) and, optionally, Analytics Engine. */
export type CountSink = {
  store: DurableObjectNamespace<ExperimentStore> | undefined
  analytics?: AnalyticsEngineDataset | undefined
  waitUntil: WaitUntil
  /** Bandit experiments' specs by id (`banditSpecs(compiled.experiments)`), sent with their batches. */
  bandit?: ReadonlyMap<string, BanditSpec>
}

/** What /_tailor/health shows about counting in this isolate. */
export type CountHealth = {
  /** Batches the store applied. */
  flushes: number
  /** Batches that failed (the store down, slow or overloaded); their increments are lost. */
  failures: number
  /** Increments lost with failed batches, or for want of a store binding. */
  dropped: number
  /** Increments waiting in memory for the next flush. */
  pending: number
}

type Pending = {
  rows: Map<string, Batch['rows'][number]>
  pings: PingRow[]
  count: number
  /** A flush is scheduled (or running) for this experiment. */
  scheduled: boolean
  last: number
}

/** The default: at most one store request per second per isolate per experiment. */
export const FLUSH_INTERVAL_MS = 1000

const day = (now: number): number => Math.floor(now / 86_400_000)

/**
 * A per-isolate batcher. `add` never throws and never waits: it buffers and, when no flush is
 * due, schedules one with `waitUntil`. A failed flush is logged once per isolate and counted.
 * @example
 * const batcher = createBatcher()
 * batcher.add([{ experiment: 'hero-test', phase: 1, arm: 0, metric: 'views' }], { store, waitUntil })
 */
export function createBatcher(options: { intervalMs?: number; now?: () => number } = {}) {
  const interval = options.intervalMs ?? FLUSH_INTERVAL_MS
  const clock = options.now ?? Date.now
  const pending = new Map<string, Pending>()
  const health: CountHealth = { flushes: 0, failures: 0, dropped: 0, pending: 0 }

  async function flush(id: string, sink: CountSink): Promise<void> {
    const p = pending.get(id)
    if (!p) {
      return
    }
    const wait = p.last + interval - clock()
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    // Take what is buffered now; what arrives during the request goes into the next batch.
    const batch: Batch = { experiment: id, rows: [...p.rows.values()], pings: p.pings }
    const spec = (sink.bandit ?? knownBanditSpecs()).get(id)
    if (spec) {
      batch.bandit = spec
    }
    const count = p.count
    p.rows = new Map()
    p.pings = []
    p.count = 0
    p.scheduled = false
    p.last = clock()
    health.pending -= count
    if (count === 0) {
      return
    }
    try {
      if (!sink.store) {
        throw new Error('no TAILOR_EXPERIMENTS binding')
      }
      const applied = await sink.store.get(sink.store.idFromName(id)).apply(batch)
      // A click ping is an event once the store has it as new: a replay writes no data point.
      for (const i of applied.counted) {
        const ping = batch.pings[i]
        if (ping) {
          writeAnalytics(sink.analytics, { experiment: id, ...ping }, 1)
        }
      }
      // A bandit's weights come back with the flush: new draws in this isolate use them.
      learnWeights(id, applied.weights)
      health.flushes++
    } catch (err) {
      health.failures++
      health.dropped += count
      logOnce('measure', `counts lost (the store failed): ${errorText(err)}`)
    }
  }

  function add(increments: readonly Increment[], sink: CountSink): void {
    try {
      const now = clock()
      for (const inc of increments) {
        let p = pending.get(inc.experiment)
        if (!p) {
          p = { rows: new Map(), pings: [], count: 0, scheduled: false, last: 0 }
          pending.set(inc.experiment, p)
        }
        const value = inc.value ?? 1
        const cell = inc.cell ?? ''
        const base = { phase: inc.phase, arm: inc.arm, day: day(now), cell, metric: inc.metric }
        if (inc.nonce !== undefined) {
          p.pings.push({ ...base, nonce: inc.nonce, until: inc.nonceDay ?? base.day })
        } else {
          const key = `${base.phase}|${base.arm}|${base.day}|${cell}|${base.metric}`
          const row = p.rows.get(key)
          if (row) {
            row.count++
            row.sum += value
            row.sumSquares += value * value
          } else {
            p.rows.set(key, { ...base, count: 1, sum: value, sumSquares: value * value })
          }
        }
        p.count++
        health.pending++
        if (inc.nonce === undefined) {
          writeAnalytics(sink.analytics, inc, value)
        }
        if (!p.scheduled) {
          p.scheduled = true
          const id = inc.experiment
          sink.waitUntil(flush(id, sink))
        }
      }
    } catch (err) {
      // Counting is never allowed to break a page.
      logOnce('measure', `counting failed: ${errorText(err)}`)
    }
  }

  return {
    add,
    /** This isolate's counting health, for /_tailor/health. */
    health: (): CountHealth => ({ ...health }),
  }
}

/**
 * One Analytics Engine data point per event, indexed by experiment. Analytics Engine samples at
 * high volume: its counts are estimates; the store's are exact. Only these fields are written:
 * nothing about a visitor, and not a click ping's nonce.
 */
function writeAnalytics(
  ae: AnalyticsEngineDataset | undefined,
  inc: Pick<Increment, 'experiment' | 'phase' | 'arm' | 'metric' | 'cell'>,
  value: number
) {
  if (!ae) {
    return
  }
  try {
    ae.writeDataPoint({
      indexes: [inc.experiment],
      blobs: [inc.metric, inc.cell ?? ''],
      doubles: [inc.phase, inc.arm, value],
    })
  } catch (err) {
    logOnce('measure', `Analytics Engine write failed: ${errorText(err)}`)
  }
}

/** The isolate's batcher, shared by every request it serves. */
export const batcher = createBatcher()
