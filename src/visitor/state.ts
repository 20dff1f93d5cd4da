// What the visitor cookie holds, and the check that a verified token's data has that shape.
import { isPlainObject } from '../json'

/** The visitor's answer about implicit signals (consent tier 2), and when they gave it. */
export type VisitorConsent = {
  /** True: the visitor agreed that pages they read here may be summarised; false: they refused. */
  signals: boolean
  /** Seconds since the epoch: when they answered. */
  at: number
}

/**
 * One interest's reading signal: its score when last updated and that day (days since the epoch,
 * UTC). The score decays from that day on; see `./signals`.
 */
export type StoredSignal = [score: number, day: number]

/**
 * One experiment's assignment of a visitor unit: the experiment's phase, the arm's index (-1: left
 * outside the experiment's coverage; for the holdout 1 = held out, 0 = not), and bits: 1 exposed
 * (the first exposure was counted), 2 left the test, 4 << g goal g converted. A contextual
 * bandit's entry adds the context cell it was enrolled in (1 to 24, e.g. "a phone, in the
 * evening"), so its later goals count in that cell. Nothing random that could tell one visitor
 * from another: an arm index says as much as a coin toss, and a cell is one of at most 24 values
 * shared by every visitor in the same coarse context.
 * @example [3, 1, 5] // phase 3, arm 1, exposed, goal 0 converted
 * @example [3, 1, 5, 4] // the same, enrolled in cell 4 ("mobile/evening" for device × daypart)
 */
export type StoredAssignment = [phase: number, arm: number, bits: number, cell?: number]

/** The visitor's answer to "include me in tests", and when they gave it. */
export type TestsConsent = { agreed: boolean; at: number }

/**
 * What the cookie holds: what the visitor chose and, only with their consent, a small summary of
 * what they read here. No ids, no geo, no page history. Every field after `created` is optional,
 * so a cookie written before they existed reads as valid (never asked, not paused, no signals).
 */
export type VisitorState = {
  prefs: Record<string, string | string[] | boolean>
  /** Seconds since the epoch: when the visitor first saved anything. */
  created: number
  /** True while the visitor has paused personalisation: every slot shows the origin's content. */
  paused?: boolean
  /** Their answer about implicit signals. Absent: never asked. */
  consent?: VisitorConsent
  /** Interest id → its signal. Kept only with consent; bounded by the config's `signals.max`. */
  signals?: Record<string, StoredSignal>
  /** Their answer to "include me in tests". Absent: never asked. */
  tests?: TestsConsent
  /** Experiment id → assignment. Kept only with consent to tests; see StoredAssignment. */
  experiments?: Record<string, StoredAssignment>
  /** The global holdout's assignment, kept like an experiment's. */
  holdout?: StoredAssignment
}

/** Most experiment entries a cookie may carry; more reads as malformed (the config allows 32). */
export const MAX_STORED_EXPERIMENTS = 64

/** Highest bits value: exposed, left, and 8 goals. */
const MAX_ASSIGNMENT_BITS = 0x3ff

/** Highest context cell index (the config's `MAX_BANDIT_CELLS`); absent means no cell. */
export const MAX_STORED_CELL = 24

/** Most signal entries a cookie may carry; more reads as malformed (the config allows 16). */
export const MAX_STORED_SIGNALS = 32

// An interest id as the config spells it (IdSchema): what a signal key must look like.
const SIGNAL_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/

/**
 * A copy holding only VisitorState's fields, or undefined when the shape is wrong. Optional fields
 * that are absent stay absent (so an old cookie round-trips byte for byte); `paused: false` and
 * empty signals are left out, as writing them would only lengthen the cookie.
 */
export function toVisitorState(data: unknown): VisitorState | undefined {
  if (!isPlainObject(data)) {
    return undefined
  }
  const { prefs, created } = data
  if (
    typeof created !== 'number' ||
    !Number.isFinite(created) ||
    created < 0 ||
    !isPlainObject(prefs)
  ) {
    return undefined
  }
  const extra = optionalFields(data)
  if (!extra) {
    return undefined
  }
  const entries: [string, string | string[] | boolean][] = []
  for (const [key, value] of Object.entries(prefs)) {
    if (typeof value === 'string' || typeof value === 'boolean') {
      entries.push([key, value])
    } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      entries.push([key, [...(value as string[])]])
    } else {
      return undefined
    }
  }
  // fromEntries defines own properties, so a pref named "__proto__" stays data, not a prototype.
  return { prefs: Object.fromEntries(entries), created, ...extra }
}

/** The optional fields, checked; undefined when one is present but misshapen. */
function optionalFields(
  data: Record<string, unknown>
): Omit<VisitorState, 'prefs' | 'created'> | undefined {
  const out: Omit<VisitorState, 'prefs' | 'created'> = {}
  const { paused, consent, signals, tests, experiments, holdout } = data
  if (paused !== undefined) {
    if (typeof paused !== 'boolean') {
      return undefined
    }
    if (paused) {
      out.paused = true
    }
  }
  if (consent !== undefined) {
    if (!isPlainObject(consent) || typeof consent.signals !== 'boolean' || !isTime(consent.at)) {
      return undefined
    }
    out.consent = { signals: consent.signals, at: consent.at }
  }
  if (signals !== undefined) {
    if (!isPlainObject(signals)) {
      return undefined
    }
    const kept: [string, StoredSignal][] = []
    for (const [key, value] of Object.entries(signals)) {
      if (
        !SIGNAL_KEY.test(key) ||
        !Array.isArray(value) ||
        value.length !== 2 ||
        !isTime(value[0]) ||
        !Number.isInteger(value[1]) ||
        !isTime(value[1])
      ) {
        return undefined
      }
      kept.push([key, [value[0], value[1]]])
    }
    if (kept.length > MAX_STORED_SIGNALS) {
      return undefined
    }
    if (kept.length) {
      out.signals = Object.fromEntries(kept)
    }
  }
  if (tests !== undefined) {
    if (!isPlainObject(tests) || typeof tests.agreed !== 'boolean' || !isTime(tests.at)) {
      return undefined
    }
    out.tests = { agreed: tests.agreed, at: tests.at }
  }
  if (experiments !== undefined) {
    if (!isPlainObject(experiments)) {
      return undefined
    }
    const kept: [string, StoredAssignment][] = []
    for (const [key, value] of Object.entries(experiments)) {
      const entry = toAssignment(value)
      if (!SIGNAL_KEY.test(key) || !entry) {
        return undefined
      }
      kept.push([key, entry])
    }
    if (kept.length > MAX_STORED_EXPERIMENTS) {
      return undefined
    }
    if (kept.length) {
      out.experiments = Object.fromEntries(kept)
    }
  }
  if (holdout !== undefined) {
    const entry = toAssignment(holdout)
    // The holdout has no context cell: it is no bandit.
    if (!entry || entry[1] < 0 || entry[1] > 1 || entry.length !== 3) {
      return undefined
    }
    out.holdout = entry
  }
  return out
}

/**
 * A copy of a well-formed assignment: small integers only, so nothing else can ride in it. The
 * optional fourth, a context cell, is 1 to 24 (0 is never written: no cell means no fourth).
 */
function toAssignment(value: unknown): StoredAssignment | undefined {
  if (!Array.isArray(value) || (value.length !== 3 && value.length !== 4)) {
    return undefined
  }
  const [phase, arm, bits, cell] = value as unknown[]
  const int = (n: unknown, min: number, max: number): n is number =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max
  if (!int(phase, 1, 65_535) || !int(arm, -1, 7) || !int(bits, 0, MAX_ASSIGNMENT_BITS)) {
    return undefined
  }
  if (value.length === 4) {
    return int(cell, 1, MAX_STORED_CELL) ? [phase, arm, bits, cell] : undefined
  }
  return [phase, arm, bits]
}

/** A finite number of at least 0 (seconds, days, scores). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
