// What the preference centre and its JSON API say about the visitor's tests, from their cookie.
import type { CompiledExperiment, CompiledHoldout } from '../config'
import type { Facts } from '../context'
import type { StoredBets } from './assign'
import { LEFT_BIT, OUTSIDE } from './assign'
import { cellWords, contextByOf } from './cells'

/** One test the visitor is part of. */
export type TestEntry = {
  id: string
  label: string
  /** Why they are in it, in words (from `audience`). */
  why: string
  /**
   * A contextual bandit's cell the cookie keeps, in words ("on a phone, in the morning"): the
   * coarse context they joined in, with which their visits are counted. Absent otherwise.
   */
  context?: string
}

export type TestsView = {
  /** Running visitor-unit experiments the cookie enrols them in, not left. */
  tests: TestEntry[]
  /** Some running experiment draws per page view: say so, and that nothing about them is kept. */
  pageviewTests: boolean
  /**
   * The holdout draw the cookie keeps (this phase's), if any: whether they are held out (shown the
   * site without personalisation) and the share of visitors who are. Kept in the cookie, so shown.
   */
  holdout?: { member: boolean; percent: number }
}

/** What the centre says about the visitor's holdout draw. */
export function holdoutWords(holdout: { member: boolean; percent: number }): string {
  return holdout.member
    ? `You are in the holdout: like ${holdout.percent}% of visitors, you see this site without any personalisation, so that it can measure whether personalisation helps at all. Your cookie keeps only that draw.`
    : `Your cookie also keeps one draw: you are not among the ${holdout.percent}% of visitors who see this site without any personalisation (the holdout).`
}

/** The words shown for page-view experiments. */
export const PAGEVIEW_NOTICE = 'This site tests versions of some blocks; nothing about you is kept.'

function whyOf(exp: CompiledExperiment, facts: Facts): string {
  if (!exp.audience) {
    return 'everyone who agreed to take part in tests may be in it'
  }
  const reasons = [...new Set(exp.audience.explain(facts).map((r) => r.text))]
  if (reasons.length === 0) {
    return 'you matched who it is for when you joined'
  }
  const last = reasons.pop()
  return `because ${reasons.length ? `${reasons.join(', ')} and ${last}` : last}`
}

/**
 * The visitor's tests, read from their cookie's assignments (never from a server).
 * @example testsView(compiled.experiments, stored, facts)
 * // { tests: [{ id: 'hero-cyclists', label: '…', why: 'because your interests include Cycling' }], pageviewTests: true }
 */
export function testsView(
  experiments: readonly CompiledExperiment[],
  stored: StoredBets | undefined,
  facts: Facts,
  holdout?: CompiledHoldout
): TestsView {
  const tests: TestEntry[] = []
  for (const exp of experiments) {
    const entry = stored?.experiments[exp.id]
    if (
      exp.status === 'running' &&
      entry &&
      entry[0] === exp.phase &&
      entry[1] !== OUTSIDE &&
      (entry[2] & LEFT_BIT) === 0
    ) {
      const context = cellWords(contextByOf(exp), entry[3])
      tests.push({
        id: exp.id,
        label: exp.label,
        why: whyOf(exp, facts),
        ...(context ? { context } : {}),
      })
    }
  }
  const pageviewTests = experiments.some(
    (e) => e.status === 'running' && (e.unit === 'pageview' || e.fallback === 'pageview')
  )
  const drawn = stored?.holdout
  if (holdout && drawn && drawn[0] === holdout.phase) {
    const percent = Math.round(holdout.share * 1000) / 10
    return { tests, pageviewTests, holdout: { member: drawn[1] === 1, percent } }
  }
  return { tests, pageviewTests }
}
