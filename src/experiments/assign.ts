// Who is in which arm, with no visitor ID: sticky arm indices from the cookie, or a draw per page view.
import type { CompiledExperiment, CompiledHoldout } from '../config'
import type { Facts } from '../context'
import type { StoredAssignment } from '../visitor'
import { cellIndex, cellLabel, contextByOf } from './cells'
import type { RandomSource } from './random'
import { drawIndex } from './random'

/** Bits of a StoredAssignment. */
export const EXPOSED_BIT = 1
export const LEFT_BIT = 2
/** The bit of goal `g` (its index in the goal list). */
export const goalBit = (g: number): number => 4 << g

/** Arm index of a visitor unit drawn outside the experiment's coverage: sticky, never counted. */
export const OUTSIDE = -1

/**
 * What keeps a request out of every experiment and the holdout, unless an experiment's `count`
 * switches it on. All come from the request (src/experiments/signals.ts) and the tooling.
 */
export type Exclusions = {
  /** `Sec-GPC: 1`, or `DNT: 1` where the consent section honours it. */
  gpc: boolean
  bot: boolean
  /** A prefetch or prerender (`Sec-Purpose`, `Purpose`). */
  prefetch: boolean
  /** A signed preview link or the dev simulator is in force. */
  preview: boolean
}

/** The assignments kept in a visitor's cookie (only with their consent to tests). */
export type StoredBets = {
  experiments: Record<string, StoredAssignment>
  holdout: StoredAssignment | undefined
}

/**
 * The assignments a visitor's cookie keeps, as this module reads them (a copy).
 * @example betsOf({ prefs: {}, created: 1, experiments: { 'hero-test': [1, 0, 1] } })
 */
export function betsOf(
  stored: { experiments?: Record<string, StoredAssignment>; holdout?: StoredAssignment } | undefined
): StoredBets | undefined {
  return stored && { experiments: { ...stored.experiments }, holdout: stored.holdout }
}

/** The unit an outcome is counted in. `none`: a stopped experiment's winner, never counted. */
export type Unit = 'visitor' | 'pageview' | 'none'

/** One experiment this page view takes part in. Experiments it is not in are simply absent. */
export type Outcome = {
  experiment: CompiledExperiment
  /** The arm shown. */
  arm: number
  unit: Unit
  /** Exposures and goals of this page view count (false for a stopped experiment's winner). */
  counted: boolean
  /**
   * A contextual bandit's cell index (src/experiments/cells.ts) this outcome counts in: the cell
   * a visitor unit was enrolled in, else this request's. 0 or absent: the pooled cell "".
   */
  cell?: number
}

export type HoldoutOutcome = {
  holdout: CompiledHoldout
  /** True: this page view shows the origin's page with no personalisation at all. */
  member: boolean
  unit: 'visitor' | 'pageview'
}

export type AssignInput = {
  facts: Facts
  /** The slots decided on this page: only their experiments are drawn. */
  slots: ReadonlySet<string>
  exclusions: Exclusions
  /**
   * The visitor's kept assignments when their consent covers tests (sticky visitor units), else
   * undefined: then visitor-unit experiments use their `fallback`.
   */
  stored: StoredBets | undefined
  random: RandomSource
  /**
   * Cumulative weights for new draws of an experiment in a context cell ("" when it has none),
   * overriding its config weights (a bandit's current weights: `banditBounds` in
   * src/measure/bandit.ts). Undefined: the config's.
   */
  bounds?: (exp: CompiledExperiment, cell: string) => readonly number[] | undefined
}

export type Assignment = {
  /** Undefined when there is no holdout or this request may not take part in it. */
  holdout: HoldoutOutcome | undefined
  outcomes: Outcome[]
  /**
   * What the cookie should hold now (visitor units), or undefined when nothing changed: entries of
   * experiments no longer running or of an old phase are dropped, new draws added.
   */
  next: StoredBets | undefined
}

/** Whether an experiment's `count` switches let this request in. */
function allowed(exp: CompiledExperiment, ex: Exclusions): boolean {
  return (
    (!ex.gpc || exp.count.gpc) &&
    (!ex.bot || exp.count.bots) &&
    (!ex.prefetch || exp.count.prefetch) &&
    (!ex.preview || exp.count.preview)
  )
}

/** A kept entry, when it belongs to this phase and still names an arm. */
function current(
  entry: StoredAssignment | undefined,
  phase: number,
  arms: number
): StoredAssignment | undefined {
  return entry && entry[0] === phase && entry[1] < arms ? entry : undefined
}

/** `{ cell }` for a cell index above 0, else nothing: outcomes without context stay as they were. */
const cellField = (cell: number | undefined): { cell?: number } => (cell ? { cell } : {})

/** Coverage, then the arm: two independent draws, so coverage never shifts the arm split. */
function draw(exp: CompiledExperiment, random: RandomSource, bounds: readonly number[]): number {
  if (!(random() < exp.coverage)) {
    return OUTSIDE
  }
  return drawIndex(bounds, random())
}

/**
 * Assign one page view. In order, for each experiment whose slot is on the page:
 * status (draft: out; stopped: its winner for everyone, uncounted) → GPC/DNT, bots, prefetch,
 * preview (out unless `count` lets them in) → `exclude` → `audience` → the holdout → coverage →
 * the arm. A visitor unit with consent keeps its arm across weight changes; only a new phase
 * draws again. Without consent, `fallback` says: a page-view draw, or out.
 *
 * The holdout is drawn first and once: a member's page has no personalisation, and is in no
 * experiment. Pure: the randomness comes from `random`.
 * @example
 * assign(compiled.experiments, compiled.holdout, { facts, slots, exclusions, stored, random: cryptoRandom })
 * // { holdout: undefined, outcomes: [{ experiment, arm: 1, unit: 'visitor', counted: true }], next }
 */
export function assign(
  experiments: readonly CompiledExperiment[],
  holdout: CompiledHoldout | undefined,
  input: AssignInput
): Assignment {
  const { facts, exclusions, stored, random } = input
  // A contextual bandit draws with its cell's weights; a visitor unit keeps the cell it was
  // enrolled in (the cookie's fourth field), so its goals count where its exposure did.
  const cellHere = (exp: CompiledExperiment) => cellIndex(contextByOf(exp), facts)
  const boundsOf = (exp: CompiledExperiment, cell: number) =>
    input.bounds?.(exp, cellLabel(contextByOf(exp), cell)) ?? exp.bounds
  let changed = false
  const keptExperiments: Record<string, StoredAssignment> = {}
  // Carry over what still applies, whether or not its slot is on this page.
  for (const exp of experiments) {
    const entry = stored && current(stored.experiments[exp.id], exp.phase, exp.arms.length)
    if (entry && exp.status === 'running') {
      keptExperiments[exp.id] = entry
    }
  }
  let keptHoldout: StoredAssignment | undefined
  let holdoutOutcome: HoldoutOutcome | undefined
  const excluded = exclusions.gpc || exclusions.bot || exclusions.prefetch || exclusions.preview
  if (holdout && !excluded) {
    if (stored) {
      keptHoldout = current(stored.holdout, holdout.phase, 2)
      if (!keptHoldout) {
        keptHoldout = [holdout.phase, random() < holdout.share ? 1 : 0, 0]
      }
      holdoutOutcome = { holdout, member: keptHoldout[1] === 1, unit: 'visitor' }
    } else if (holdout.pageviews) {
      holdoutOutcome = { holdout, member: random() < holdout.share, unit: 'pageview' }
    }
  } else if (stored?.holdout && holdout) {
    // Excluded on this request (e.g. a prefetch): keep what the cookie says for the next one.
    keptHoldout = current(stored.holdout, holdout.phase, 2)
  }

  const outcomes: Outcome[] = []
  for (const exp of experiments) {
    if (!input.slots.has(exp.slot) || exp.status === 'draft') {
      continue
    }
    if (exp.status === 'stopped') {
      if (exp.winner !== undefined && !holdoutOutcome?.member) {
        outcomes.push({ experiment: exp, arm: exp.winner, unit: 'none', counted: false })
      }
      continue
    }
    if (!allowed(exp, exclusions)) {
      continue
    }
    if (exp.exclude?.test(facts)) {
      continue
    }
    if (exp.audience && !exp.audience.test(facts)) {
      continue
    }
    if (holdoutOutcome?.member) {
      continue
    }
    if (exp.unit === 'visitor' && stored) {
      let entry = keptExperiments[exp.id]
      if (!entry) {
        const cell = cellHere(exp)
        const arm = draw(exp, random, boundsOf(exp, cell))
        entry = cell > 0 && arm !== OUTSIDE ? [exp.phase, arm, 0, cell] : [exp.phase, arm, 0]
        keptExperiments[exp.id] = entry
        changed = true
      }
      if (entry[1] !== OUTSIDE && (entry[2] & LEFT_BIT) === 0) {
        outcomes.push({
          experiment: exp,
          arm: entry[1],
          unit: 'visitor',
          counted: true,
          ...cellField(entry[3]),
        })
      }
      continue
    }
    if (exp.unit === 'visitor' && exp.fallback === 'none') {
      continue
    }
    const cell = cellHere(exp)
    const arm = draw(exp, random, boundsOf(exp, cell))
    if (arm !== OUTSIDE) {
      outcomes.push({ experiment: exp, arm, unit: 'pageview', counted: true, ...cellField(cell) })
    }
  }

  let next: StoredBets | undefined
  if (stored) {
    const before = Object.keys(stored.experiments)
    changed ||=
      before.length !== Object.keys(keptExperiments).length ||
      before.some((id) => keptExperiments[id] !== stored.experiments[id]) ||
      keptHoldout !== stored.holdout
    if (changed) {
      next = { experiments: keptExperiments, holdout: keptHoldout }
    }
  }
  return { holdout: holdoutOutcome, outcomes, next }
}
