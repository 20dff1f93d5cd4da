// Bandits: the store recomputes Thompson-sampling weights on an alarm; isolates learn them from flushes.
import type { CompiledExperiment } from '../config'
import type { ArmTotals } from '../stats'
import { banditWeights, contextualBanditWeights } from '../stats'

/**
 * What an experiment's store needs to run its bandit. The batcher sends it with every batch of a
 * bandit experiment, so the store follows the config without reading it.
 */
export type BanditSpec = {
  phase: number
  arms: number
  /** The primary goal's metric, `goal:<id>`. */
  goal: string
  /** The denominator: `views` for click goals and page-view units, else `units`. */
  per: 'units' | 'views'
  everyMinutes: number
  floor: number
  /** Weights per context cell (the rows' `cell` column) as well as pooled. */
  cells: boolean
}

/** The weights in force for one phase: per cell, `""` being the pooled weights. */
export type LiveWeights = { phase: number; cells: Record<string, number[]> }

/** One row of the weights history, for the report's chart and the bandit's SRM check. */
export type WeightsRow = {
  /** Minutes since the epoch when these weights took effect. */
  minute: number
  phase: number
  cell: string
  mode: 'burn-in' | 'thompson'
  weights: number[]
}

const METRIC = /^goal:[A-Za-z][A-Za-z0-9_-]{0,39}$/
const isInt = (n: unknown, min: number, max: number): n is number =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max

/** Whether a batch's `bandit` field is what the batcher sends (the store takes no free text). */
export function isBanditSpec(s: unknown): s is BanditSpec {
  const b = s as BanditSpec
  return (
    typeof b === 'object' &&
    b !== null &&
    isInt(b.phase, 1, 65_535) &&
    isInt(b.arms, 2, 8) &&
    typeof b.goal === 'string' &&
    METRIC.test(b.goal) &&
    (b.per === 'units' || b.per === 'views') &&
    isInt(b.everyMinutes, 15, 10_080) &&
    typeof b.floor === 'number' &&
    b.floor >= 0.01 &&
    b.floor * b.arms < 1 &&
    typeof b.cells === 'boolean'
  )
}

// ---------------------------------------------------------------------------------------------
// Isolate side: which experiments are bandits, the weights learnt from flushes, and the draw.

const specs = new WeakMap<readonly CompiledExperiment[], Map<string, BanditSpec>>()

/**
 * The bandit specs of a compiled config's experiments, by id (cached per config), for the
 * batcher's `CountSink.bandit`. Only running bandit experiments have one.
 * @example batcher.add(increments, { store, waitUntil, bandit: banditSpecs(compiled.experiments) })
 */
export function banditSpecs(experiments: readonly CompiledExperiment[]): Map<string, BanditSpec> {
  let map = specs.get(experiments)
  if (!map) {
    map = new Map()
    for (const e of experiments) {
      const primary = e.goals.find((g) => g.primary)
      if (e.allocation !== 'bandit' || e.status !== 'running' || !primary) {
        continue
      }
      const b = e.source.bandit
      map.set(e.id, {
        phase: e.phase,
        arms: e.arms.length,
        goal: `goal:${primary.id}`,
        per: primary.type === 'click' || e.unit === 'pageview' ? 'views' : 'units',
        everyMinutes: b.everyMinutes,
        floor: b.floor,
        cells: b.contextBy.length > 0,
      })
    }
    specs.set(experiments, map)
  }
  for (const [id, spec] of map) {
    known.set(id, spec)
  }
  return map
}

/**
 * Every bandit spec this isolate has seen (the latest per experiment id): the batcher sends it
 * with a bandit's batches from any route, even one that never read the config (a ping).
 */
const known = new Map<string, BanditSpec>()

/** The specs `banditSpecs` has registered in this isolate, by experiment id. */
export const knownBanditSpecs = (): ReadonlyMap<string, BanditSpec> => known

/** Weights this isolate learnt from its flushes, by experiment id. */
const learnt = new Map<string, LiveWeights>()

/** Keep the weights a flush answered with (the batcher calls it). */
export function learnWeights(experiment: string, weights: LiveWeights | undefined): void {
  if (weights) {
    learnt.set(experiment, weights)
  }
}

/**
 * The cumulative weights a new draw of a bandit experiment uses in context cell `cell` (the hook
 * `assign` takes; "" for an experiment without cells or a request whose cell is unknown), or
 * undefined for a fixed experiment (its config weights apply). A cell the store has no weights
 * for yet draws with the pooled weights; until the store has answered at all, a bandit draws
 * equally, as its burn-in would. Enrolled visitor units are never drawn again.
 * @example assign(experiments, holdout, { ...input, bounds: banditBounds })
 */
export function banditBounds(exp: CompiledExperiment, cell: string): number[] | undefined {
  if (exp.allocation !== 'bandit') {
    return undefined
  }
  const live = learnt.get(exp.id)
  const cells = live?.phase === exp.phase ? live.cells : {}
  const weights = cells[cell] ?? cells[''] ?? exp.arms.map(() => 1 / exp.arms.length)
  let total = 0
  return weights.map((w) => (total += w))
}

// ---------------------------------------------------------------------------------------------
// Store side: called by ExperimentStore (src/measure/store.ts) with its SQL storage.

const MINUTE = 60_000

/** Set the object's one alarm to `at`, unless one is already due sooner. */
export async function scheduleAlarm(storage: DurableObjectStorage, at: number): Promise<void> {
  const current = await storage.getAlarm()
  if (current === null || current > at) {
    await storage.setAlarm(at)
  }
}

function tables(sql: SqlStorage): void {
  // Created only for a bandit: a fixed experiment's store holds counts and replay alone.
  sql.exec(`CREATE TABLE IF NOT EXISTS bandit (
    id INTEGER PRIMARY KEY CHECK (id = 1), spec TEXT NOT NULL, computed INTEGER NOT NULL)`)
  sql.exec(`CREATE TABLE IF NOT EXISTS weights (
    minute INTEGER NOT NULL, phase INTEGER NOT NULL, cell TEXT NOT NULL, mode TEXT NOT NULL,
    weights TEXT NOT NULL, PRIMARY KEY (phase, cell, minute)) WITHOUT ROWID`)
}

function hasTable(sql: SqlStorage, name: string): boolean {
  return (
    sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray()
      .length > 0
  )
}

function readState(sql: SqlStorage): { spec: BanditSpec; computed: number } | undefined {
  if (!hasTable(sql, 'bandit')) {
    return undefined
  }
  const row = sql.exec('SELECT spec, computed FROM bandit').toArray()[0]
  return row ? { spec: JSON.parse(String(row.spec)), computed: Number(row.computed) } : undefined
}

/** The primary goal's totals per cell and arm for one phase. */
function cellTotals(sql: SqlStorage, spec: BanditSpec): Record<string, ArmTotals[]> {
  const rows = sql
    .exec(
      `SELECT arm, cell, metric, SUM(count) AS n FROM counts
       WHERE phase = ? AND metric IN ('units', 'views', ?) GROUP BY arm, cell, metric`,
      spec.phase,
      spec.goal
    )
    .toArray()
  const cells: Record<string, { units: number; exposures: number; conversions: number }[]> = {}
  for (const r of rows) {
    const cell = spec.cells ? String(r.cell) : ''
    const arms = (cells[cell] ??= Array.from({ length: spec.arms }, () => ({
      units: 0,
      exposures: 0,
      conversions: 0,
    })))
    const arm = arms[Number(r.arm)]
    if (!arm) {
      continue
    }
    const n = Number(r.n)
    if (r.metric === spec.goal) {
      arm.conversions += n
    } else {
      if (r.metric === 'views') {
        arm.exposures += n
      }
      if (r.metric === spec.per) {
        arm.units += n
      }
    }
  }
  return cells
}

/** Recompute and record the weights now (history keeps a row per cell whose weights changed). */
function recompute(sql: SqlStorage, spec: BanditSpec, now: number): void {
  const minute = Math.floor(now / MINUTE)
  const totals = cellTotals(sql, spec)
  const options = { floor: spec.floor }
  const equal = Array.from({ length: spec.arms }, () => 0)
  const out: Record<string, { weights: readonly number[]; phase: 'burn-in' | 'thompson' }> = {}
  if (spec.cells) {
    const result = contextualBanditWeights({ '': [], ...totals }, options)
    out[''] = result.pooled
    for (const [cell, w] of Object.entries(result.cells)) {
      if (cell !== '') {
        out[cell] = w
      }
    }
  } else {
    out[''] = banditWeights(
      totals[''] ?? equal.map(() => ({ units: 0, exposures: 0, conversions: 0 })),
      options
    )
  }
  const last = new Map(
    sql
      .exec(
        `SELECT cell, weights FROM weights w WHERE phase = ? AND minute =
           (SELECT MAX(minute) FROM weights WHERE phase = w.phase AND cell = w.cell)`,
        spec.phase
      )
      .toArray()
      .map((r) => [String(r.cell), String(r.weights)])
  )
  for (const [cell, w] of Object.entries(out)) {
    const text = JSON.stringify(w.weights.map((x) => Math.round(x * 1e6) / 1e6))
    if (last.get(cell) !== text) {
      sql.exec(
        'INSERT OR REPLACE INTO weights VALUES (?, ?, ?, ?, ?)',
        minute,
        spec.phase,
        cell,
        w.phase,
        text
      )
    }
  }
  sql.exec('UPDATE bandit SET computed = ?', now)
}

/**
 * A batch arrived with a bandit spec: keep it; on a new spec (first batch, a phase bump, another
 * cadence) recompute now and schedule the alarm. Returns the weights in force, for the isolate.
 */
export async function noteBandit(
  sql: SqlStorage,
  storage: DurableObjectStorage,
  spec: BanditSpec,
  now: number
): Promise<LiveWeights> {
  tables(sql)
  const text = JSON.stringify(spec)
  const state = readState(sql)
  if (!state || JSON.stringify(state.spec) !== text) {
    sql.exec('INSERT OR REPLACE INTO bandit VALUES (1, ?, ?)', text, state?.computed ?? 0)
    if (
      !state ||
      state.spec.phase !== spec.phase ||
      state.spec.everyMinutes !== spec.everyMinutes
    ) {
      recompute(sql, spec, now)
      await scheduleAlarm(storage, now + spec.everyMinutes * MINUTE)
    }
  }
  return liveWeights(sql, spec.phase)
}

/**
 * The alarm's bandit part: recompute when `everyMinutes` have passed since the last time (never
 * sooner, whatever else woke the object). Returns when the next recomputation is due, if any.
 */
export function banditAlarm(sql: SqlStorage, now: number): number | undefined {
  const state = readState(sql)
  if (!state) {
    return undefined
  }
  const due = state.computed + state.spec.everyMinutes * MINUTE
  if (now < due) {
    return due
  }
  recompute(sql, state.spec, now)
  return now + state.spec.everyMinutes * MINUTE
}

/** The newest weights per cell of a phase. */
export function liveWeights(sql: SqlStorage, phase: number): LiveWeights {
  const cells: Record<string, number[]> = {}
  if (hasTable(sql, 'weights')) {
    for (const r of sql
      .exec('SELECT cell, weights FROM weights WHERE phase = ? ORDER BY minute', phase)
      .toArray()) {
      cells[String(r.cell)] = JSON.parse(String(r.weights))
    }
  }
  return { phase, cells }
}

/** The whole weights history, oldest first (empty for a fixed experiment). */
export function weightsHistory(sql: SqlStorage): WeightsRow[] {
  if (!hasTable(sql, 'weights')) {
    return []
  }
  return sql
    .exec('SELECT minute, phase, cell, mode, weights FROM weights ORDER BY phase, minute, cell')
    .toArray()
    .map((r) => ({
      minute: Number(r.minute),
      phase: Number(r.phase),
      cell: String(r.cell),
      mode: r.mode === 'thompson' ? 'thompson' : 'burn-in',
      weights: JSON.parse(String(r.weights)) as number[],
    }))
}
