// What a page view, a goal or a leave adds to the counts, and the cookie bits that keep it once per unit.
import type { CompiledExperiment, CompiledGoal, CompiledHoldout } from '../config'
import type { StoredAssignment } from '../visitor'
import type { Assignment, StoredBets } from './assign'
import { EXPOSED_BIT, goalBit, LEFT_BIT, OUTSIDE } from './assign'
import { cellLabel, contextByOf } from './cells'

/** The store's name for the holdout (an experiment id always starts with a letter). */
export const HOLDOUT_ID = '_holdout'

/**
 * One count to add. Metrics: `views` (page views showing the block), `units` (first exposure of a
 * visitor unit), `left` (a unit left the test), `goal:<id>` (a conversion). `nonce` marks a click
 * ping, counted at most once whatever the replays.
 */
export type Increment = {
  experiment: string
  phase: number
  arm: number
  metric: string
  value?: number
  /**
   * A contextual bandit's cell, e.g. "mobile/evening" (src/experiments/cells.ts); default "". A
   * visitor unit's increments all carry the cell it was enrolled in.
   */
  cell?: string
  nonce?: string
  /** With `nonce`: the UTC day (days since the epoch) after which a replay can no longer verify. */
  nonceDay?: number
}

/** The metric of goal `id`. */
export const goalMetric = (id: string): string => `goal:${id}`

/** Counts and the cookie's new state (undefined when it did not change). */
export type Counted = { increments: Increment[]; next: StoredBets | undefined }

function copy(bets: StoredBets): StoredBets {
  return { experiments: { ...bets.experiments }, holdout: bets.holdout }
}

/** An entry with new bits, keeping its cell (a contextual bandit's fourth field). */
function withBits(entry: StoredAssignment, bits: number): StoredAssignment {
  return entry.length > 3 ? [entry[0], entry[1], bits, entry[3]] : [entry[0], entry[1], bits]
}

/**
 * `{ cell }` with the store's label of cell `index` of an experiment, or nothing when it has no
 * context cells (its increments stay as they always were).
 */
function cellOfIndex(exp: CompiledExperiment | undefined, index: unknown): { cell?: string } {
  const label = exp ? cellLabel(contextByOf(exp), index) : ''
  return label ? { cell: label } : {}
}

/**
 * The exposures of one page view. `seen` holds the slots whose element was really in the streamed
 * page; `marked` the slots whose first exposure the outgoing cookie already records (the response
 * headers leave before the body streams, so the bit is set on a prediction, and `units` counts only
 * when prediction and stream agree: never twice). Holdout page views count once per page.
 * @example countExposures(assignment, new Set(['hero']), new Set(['hero'])).increments
 * // [{ experiment: 'hero-test', phase: 1, arm: 0, metric: 'views' }, { …, metric: 'units' }]
 */
export function countExposures(
  assignment: Assignment,
  incoming: StoredBets | undefined,
  seen: ReadonlySet<string>,
  marked: ReadonlySet<string>
): Increment[] {
  const out: Increment[] = []
  for (const o of assignment.outcomes) {
    if (!o.counted || !seen.has(o.experiment.slot)) {
      continue
    }
    // A contextual bandit's outcome counts in its cell: a visitor unit's enrolment cell.
    const base = {
      experiment: o.experiment.id,
      phase: o.experiment.phase,
      arm: o.arm,
      ...cellOfIndex(o.experiment, o.cell),
    }
    out.push({ ...base, metric: 'views' })
    const before = incoming?.experiments[o.experiment.id]
    const first = o.unit === 'visitor' && (!before || (before[2] & EXPOSED_BIT) === 0)
    if (first && marked.has(o.experiment.slot)) {
      out.push({ ...base, metric: 'units' })
    }
  }
  const h = assignment.holdout
  if (h) {
    const base = { experiment: HOLDOUT_ID, phase: h.holdout.phase, arm: h.member ? 1 : 0 }
    out.push({ ...base, metric: 'views' })
    if (h.unit === 'visitor' && ((incoming?.holdout?.[2] ?? 0) & EXPOSED_BIT) === 0) {
      out.push({ ...base, metric: 'units' })
    }
  }
  return out
}

/**
 * The cookie as it leaves with this response: the first exposure marked for the visitor-unit
 * outcomes whose slot `expected` says will be in the page, and the holdout's.
 * @example markExposures(assignment, stored, new Set(['hero'])) // { next, marked: Set { 'hero' } }
 */
export function markExposures(
  assignment: Assignment,
  stored: StoredBets | undefined,
  expected: (slot: string) => boolean
): { next: StoredBets | undefined; marked: Set<string> } {
  const marked = new Set<string>()
  const base = assignment.next ?? stored
  if (!base) {
    return { next: undefined, marked }
  }
  const bets = copy(base)
  let changed = assignment.next !== undefined
  for (const o of assignment.outcomes) {
    const entry = bets.experiments[o.experiment.id]
    if (o.unit !== 'visitor' || !entry || !expected(o.experiment.slot)) {
      continue
    }
    marked.add(o.experiment.slot)
    if ((entry[2] & EXPOSED_BIT) === 0) {
      bets.experiments[o.experiment.id] = withBits(entry, entry[2] | EXPOSED_BIT)
      changed = true
    }
  }
  const h = bets.holdout
  if (assignment.holdout?.unit === 'visitor' && h && (h[2] & EXPOSED_BIT) === 0) {
    bets.holdout = withBits(h, h[2] | EXPOSED_BIT)
    changed = true
  }
  return { next: changed ? bets : undefined, marked }
}

/** An entry that counts conversions: this phase, inside coverage, exposed, not left. */
function live(entry: StoredAssignment | undefined, phase: number): entry is StoredAssignment {
  return (
    entry !== undefined &&
    entry[0] === phase &&
    entry[1] !== OUTSIDE &&
    (entry[2] & EXPOSED_BIT) !== 0 &&
    (entry[2] & LEFT_BIT) === 0
  )
}

/**
 * Conversions of the goals `hit` selects, once per goal per visitor unit (the cookie bit), for
 * the running experiments and the holdout the unit was exposed to. A contextual bandit's
 * conversion counts in the cell the unit was enrolled in (the entry's fourth field), whatever
 * the context of the request that converts, so each cell's rate has its own units underneath.
 */
export function convert(
  experiments: readonly CompiledExperiment[],
  holdout: CompiledHoldout | undefined,
  stored: StoredBets | undefined,
  hit: (goal: CompiledGoal) => boolean
): Counted {
  const increments: Increment[] = []
  if (!stored) {
    return { increments, next: undefined }
  }
  const next = copy(stored)
  const visit = (
    id: string,
    phase: number,
    goals: readonly CompiledGoal[],
    exp: CompiledExperiment | undefined,
    entry: StoredAssignment | undefined,
    save: (e: StoredAssignment) => void
  ) => {
    if (!live(entry, phase)) {
      return
    }
    let bits = entry[2]
    const cell = cellOfIndex(exp, entry[3])
    goals.forEach((goal, g) => {
      if ((bits & goalBit(g)) === 0 && hit(goal)) {
        bits |= goalBit(g)
        increments.push({
          experiment: id,
          phase,
          arm: entry[1],
          metric: goalMetric(goal.id),
          ...cell,
        })
      }
    })
    if (bits !== entry[2]) {
      save(withBits(entry, bits))
    }
  }
  for (const exp of experiments) {
    if (exp.status === 'running') {
      visit(exp.id, exp.phase, exp.goals, exp, stored.experiments[exp.id], (e) => {
        next.experiments[exp.id] = e
      })
    }
  }
  if (holdout) {
    visit(HOLDOUT_ID, holdout.phase, holdout.goals, undefined, stored.holdout, (e) => {
      next.holdout = e
    })
  }
  return { increments, next: increments.length ? next : undefined }
}

/**
 * Page goals reached by viewing `path`.
 * @example convertPage(compiled.experiments, compiled.holdout, stored, '/newsletter/thanks')
 */
export function convertPage(
  experiments: readonly CompiledExperiment[],
  holdout: CompiledHoldout | undefined,
  stored: StoredBets | undefined,
  path: string
): Counted {
  return convert(
    experiments,
    holdout,
    stored,
    (g) => g.type === 'page' && g.matches?.(path) === true
  )
}

/**
 * The event goal `id` (`POST /_tailor/api/goals/:id`).
 * @example convertEvent(compiled.experiments, compiled.holdout, stored, 'signup')
 */
export function convertEvent(
  experiments: readonly CompiledExperiment[],
  holdout: CompiledHoldout | undefined,
  stored: StoredBets | undefined,
  id: string
): Counted {
  return convert(experiments, holdout, stored, (g) => g.type === 'event' && g.id === id)
}

/**
 * Leave one test: the slot shows its normal decision from now on, nothing more is counted for the
 * unit, and its arm's `left` count grows by one. Leaving twice counts once.
 * @example leave(compiled.experiments, stored, 'hero-test') // { increments: [{ metric: 'left', … }], next }
 */
export function leave(
  experiments: readonly CompiledExperiment[],
  stored: StoredBets | undefined,
  id: string
): Counted {
  const exp = experiments.find((e) => e.id === id)
  const entry = stored?.experiments[id]
  if (!stored || !exp || !entry || entry[0] !== exp.phase || (entry[2] & LEFT_BIT) !== 0) {
    return { increments: [], next: undefined }
  }
  const next = copy(stored)
  next.experiments[id] = withBits(entry, entry[2] | LEFT_BIT)
  // `left` is a guardrail rate per arm: it counts in the unit's enrolment cell too.
  const increments: Increment[] =
    entry[1] === OUTSIDE || exp.status !== 'running'
      ? []
      : [
          {
            experiment: id,
            phase: exp.phase,
            arm: entry[1],
            metric: 'left',
            ...cellOfIndex(exp, entry[3]),
          },
        ]
  return { increments, next }
}
