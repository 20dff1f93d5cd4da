// Consent to tests ("include me in tests"): who may be a sticky visitor unit, by the region rules.
import { explicitConsentRequired } from '../privacy'
import type { VisitorState } from '../visitor'

/** The request facts consent to tests depends on. */
export type TestsConsentInput = {
  stored: VisitorState | undefined
  /** `request.cf.isEUCountry`; undefined when unknown. */
  eu: boolean | undefined
  country: string | undefined
  /** `Sec-GPC: 1`, or `DNT: 1` where honoured. */
  privacySignal: boolean
}

export type TestsConsentState = {
  answer: 'granted' | 'withdrawn' | 'none'
  /** Only an explicit "yes" counts here (opt-in mode, the EU, a listed or an unknown country). */
  explicitRequired: boolean
  /** Assignments may be kept in the cookie: a sticky visitor unit. */
  allowed: boolean
}

/**
 * Whether this visitor may be a sticky visitor unit. As for signals: no cookie, no unit (a page
 * view never creates a cookie); a privacy signal is a no; an explicit answer always counts; without
 * one, `opt-out` mode enrols a visitor who already has a cookie, except where consent must be
 * explicit (the EU, `explicitIn`, an unknown country). Paused visitors are never enrolled.
 * @example testsConsentFor({ stored, eu: true, country: 'FR', privacySignal: false }, { tests: 'opt-out', explicitIn: [] }).allowed // false
 */
export function testsConsentFor(
  input: TestsConsentInput,
  options: { tests?: 'opt-in' | 'opt-out' | undefined; explicitIn: readonly string[] }
): TestsConsentState {
  const { stored } = input
  const answer =
    stored?.tests === undefined ? 'none' : stored.tests.agreed ? 'granted' : 'withdrawn'
  // The same region rule as reading signals (src/privacy/consent.ts).
  const explicitRequired = explicitConsentRequired(options.tests, input, options.explicitIn)
  const allowed =
    stored !== undefined &&
    stored.paused !== true &&
    !input.privacySignal &&
    (answer === 'granted' || (answer === 'none' && !explicitRequired))
  return { answer, explicitRequired, allowed }
}
