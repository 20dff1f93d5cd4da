// Consent tiers for implicit signals, and the privacy signals (GPC, DNT) that override them.
import type { Config, ConsentOptions } from '../config'
import type { CfGeo } from '../context'
import { readCf, readDnt, readGpc } from '../context'
import type { Decision } from '../decide'
import type { VisitorState } from '../visitor'
import { currentScores } from '../visitor'

/** What the visitor said about reading signals: agreed, refused, or never asked. */
export type ConsentAnswer = 'granted' | 'withdrawn' | 'none'

/** The privacy signal a browser sent, if any (GPC wins when both are present). */
export type PrivacySignal = 'gpc' | 'dnt' | undefined

/** Everything the middleware and the centre need to know about tier 2 for one request. */
export type ConsentState = {
  /** What the visitor said (from their cookie). */
  answer: ConsentAnswer
  /**
   * True where only an explicit "yes" counts: the config is opt-in, or the visitor is in the EU,
   * in a country the config lists, or somewhere unknown.
   */
  explicitRequired: boolean
  /** The browser's privacy signal, when Tailor honours it. */
  privacySignal: PrivacySignal
  /** Stored signals count in conditions (`signals.<interest>`). */
  use: boolean
  /** This page view may add to the signals. */
  record: boolean
}

/** The request facts consent depends on; all come from request.cf and headers. */
export type ConsentRequest = {
  /** `request.cf.isEUCountry`; undefined when unknown. */
  eu: boolean | undefined
  country: string | undefined
  /** `Sec-GPC: 1` was sent. */
  gpc: boolean
  /** `DNT: 1` was sent. */
  dnt: boolean
}

/** Everything consent depends on: the request's facts and the visitor's stored state. */
export type ConsentInput = ConsentRequest & {
  /** The visitor's stored state; undefined without a valid cookie (tier 0). */
  stored: VisitorState | undefined
}

/**
 * The consent facts of a request, from the `request.cf` already read (`readCf`) and its headers.
 * @example consentRequestOf(request.headers, readCf(request)) // { eu: true, country: 'FR', gpc: false, dnt: false }
 */
export function consentRequestOf(headers: Headers, geo: CfGeo): ConsentRequest {
  return { eu: geo.eu, country: geo.country, gpc: readGpc(headers), dnt: readDnt(headers) }
}

/**
 * Whether a choice must be asked for explicitly: always in `opt-in` mode, and in `opt-out` mode in
 * the EU, in an unknown country, and in the countries the config lists (`explicitIn`). One rule
 * for reading signals and for tests.
 * @example explicitConsentRequired('opt-out', { eu: false, country: 'US' }, ['GB']) // false
 */
export function explicitConsentRequired(
  mode: 'opt-in' | 'opt-out' | undefined,
  where: { eu: boolean | undefined; country: string | undefined },
  explicitIn: readonly string[]
): boolean {
  return (
    mode !== 'opt-out' ||
    where.eu !== false ||
    where.country === undefined ||
    explicitIn.includes(where.country)
  )
}

/**
 * Decide tier 2 for one request. The rules, in order:
 * 1. No cookie (tier 0): nothing is used or recorded, ever — a page view never creates a cookie.
 * 2. `Sec-GPC: 1` (and `DNT: 1` unless `honourDnt` is false): nothing new is recorded, whatever
 *    the cookie says. Signals the visitor explicitly agreed to still apply until they clear them.
 * 3. An explicit answer in the centre always counts: "yes" uses and records, "no" does neither.
 * 4. Without an answer, the config's `opt-out` mode uses and records for a visitor who already has
 *    a cookie — but never where consent must be explicit (EU, `explicitIn`, unknown country) and
 *    never with a privacy signal, which is itself the opt-out (CCPA regulations §7025).
 * 5. Paused: nothing is recorded (and the middleware shows the origin's content).
 * @example
 * consentFor({ stored, eu: true, country: 'FR', gpc: false, dnt: false }, config.consent)
 * // { answer: 'none', explicitRequired: true, privacySignal: undefined, use: false, record: false }
 */
export function consentFor(input: ConsentInput, options: ConsentOptions): ConsentState {
  const { stored } = input
  const answer: ConsentAnswer =
    stored?.consent === undefined ? 'none' : stored.consent.signals ? 'granted' : 'withdrawn'
  const explicitRequired = explicitConsentRequired(options.signals, input, options.explicitIn)
  const privacySignal: PrivacySignal = input.gpc
    ? 'gpc'
    : input.dnt && options.honourDnt
      ? 'dnt'
      : undefined
  let use = false
  if (stored !== undefined) {
    use =
      answer === 'granted' ||
      (answer === 'none' && !explicitRequired && privacySignal === undefined)
  }
  const record = use && privacySignal === undefined && stored?.paused !== true
  return { answer, explicitRequired, privacySignal, use, record }
}

/**
 * Tier 2 for a request, from its own `request.cf` and headers (never from client-sent geo). Off
 * the page path only (the API's answers): a page reads consent once, into its `TailorState`.
 * @example readConsent(stored, compiled.config, request).record
 */
export function readConsent(
  stored: VisitorState | undefined,
  config: Pick<Config, 'consent'>,
  request: Request
): ConsentState {
  return consentFor(
    { stored, ...consentRequestOf(request.headers, readCf(request)) },
    config.consent
  )
}

/**
 * The `signals` facts for a request: the stored scores decayed to now when consent lets them be
 * used, else `{}`.
 * @example signalFacts(stored, consent, config, now) // { cycling: 2.5 }
 */
export function signalFacts(
  stored: VisitorState | undefined,
  consent: Pick<ConsentState, 'use'>,
  config: Pick<Config, 'signals'>,
  now: number
): Record<string, number> {
  if (!stored?.signals || !consent.use) {
    return {}
  }
  return currentScores(stored.signals, now, config.signals.halfLifeDays)
}

/**
 * The decisions of a visitor who paused personalisation: every slot keeps the origin's content.
 * @example pausedDecisions(decide(compiled, facts)).every((d) => d.variant === undefined) // true
 */
export function pausedDecisions(decisions: readonly Decision[]): Decision[] {
  return decisions.map((d) => ({ slot: d.slot, variant: undefined }))
}
