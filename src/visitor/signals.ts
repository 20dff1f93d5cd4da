// Implicit interest signals (consent tier 2): scores that decay by half-life, capped and bounded.
import type { StoredSignal } from './state'

/** How signals are kept: the config's `signals` field with its defaults applied. */
export type SignalPolicy = {
  /** Days after which a score has halved. */
  halfLifeDays: number
  /** Most interests kept; the weakest go first. */
  max: number
  /** Highest score an interest can reach. */
  cap: number
}

/** Milliseconds in a day. */
const DAY_MS = 86_400_000

/** A score below this (after decay) is forgotten: about one page view, five half-lives ago. */
export const SIGNAL_FLOOR = 0.05

/**
 * The day number (days since 1970-01-01, UTC) of a time in milliseconds.
 * @example dayOf(Date.UTC(2026, 0, 1)) // 20454
 */
export function dayOf(now: number): number {
  return Math.floor(now / DAY_MS)
}

/** Two decimals: enough for a score, and a short cookie. */
function round(score: number): number {
  return Math.round(score * 100) / 100
}

/**
 * A stored score decayed to `today`: `score × 0.5^(days / halfLifeDays)`. A day in the future
 * (a clock that went back) counts as today: scores never grow by themselves.
 * @example decayScore([4, 20454], 20461, 7) // 2
 */
export function decayScore(signal: StoredSignal, today: number, halfLifeDays: number): number {
  const [score, day] = signal
  const days = Math.max(0, today - day)
  return score * 0.5 ** (days / halfLifeDays)
}

/**
 * The visitor's scores as of `now`, rounded to two decimals; interests that decayed below
 * SIGNAL_FLOOR are left out. This is what conditions see as `signals.<interest>`.
 * @example currentScores({ cycling: [4, 20454] }, Date.UTC(2026, 0, 8), 7) // { cycling: 2 }
 */
export function currentScores(
  stored: Readonly<Record<string, StoredSignal>> | undefined,
  now: number,
  halfLifeDays: number
): Record<string, number> {
  const out: Record<string, number> = {}
  if (!stored) {
    return out
  }
  const today = dayOf(now)
  for (const [id, signal] of Object.entries(stored)) {
    const score = decayScore(signal, today, halfLifeDays)
    if (score >= SIGNAL_FLOOR) {
      // defineProperty keeps an id such as "__proto__" a plain key (ids are config-checked anyway).
      Object.defineProperty(out, id, { value: round(score), enumerable: true, writable: true })
    }
  }
  return out
}

/**
 * Add one page view's signals: every stored score is decayed to today, `add` is added, each score
 * capped at `policy.cap`, scores below SIGNAL_FLOOR dropped, and only the `policy.max` strongest
 * kept (ties broken by id, so the result does not depend on insertion order). Every entry comes
 * out dated today, so the next decay starts from here.
 * @example
 * addSignals({ cycling: [1, 20454] }, { cycling: 1 }, Date.UTC(2026, 0, 1), { halfLifeDays: 7, max: 8, cap: 20 })
 * // { cycling: [2, 20454] }
 */
export function addSignals(
  stored: Readonly<Record<string, StoredSignal>> | undefined,
  add: Readonly<Record<string, number>>,
  now: number,
  policy: SignalPolicy
): Record<string, StoredSignal> {
  const today = dayOf(now)
  const scores = new Map<string, number>()
  for (const [id, signal] of Object.entries(stored ?? {})) {
    scores.set(id, decayScore(signal, today, policy.halfLifeDays))
  }
  for (const [id, score] of Object.entries(add)) {
    if (Number.isFinite(score) && score > 0) {
      scores.set(id, (scores.get(id) ?? 0) + score)
    }
  }
  const kept = [...scores]
    .map(([id, score]) => [id, round(Math.min(policy.cap, score))] as const)
    .filter(([, score]) => score >= SIGNAL_FLOOR)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, policy.max))
  const out: Record<string, StoredSignal> = {}
  for (const [id, score] of kept) {
    Object.defineProperty(out, id, { value: [score, today], enumerable: true, writable: true })
  }
  return out
}
