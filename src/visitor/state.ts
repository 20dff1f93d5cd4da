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
}

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

/** `paused`, `consent` and `signals`, checked; undefined when one is present but misshapen. */
function optionalFields(
  data: Record<string, unknown>
): Pick<VisitorState, 'paused' | 'consent' | 'signals'> | undefined {
  const out: Pick<VisitorState, 'paused' | 'consent' | 'signals'> = {}
  const { paused, consent, signals } = data
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
  return out
}

/** A finite number of at least 0 (seconds, days, scores). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
