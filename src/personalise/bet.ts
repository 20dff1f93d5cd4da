// The experiments on the hallway: `assign` after decide (read), and the counting around the rewriter (respond).
import type { CompiledConfig } from '../config'
import type { Facts } from '../context'
import type { Decision } from '../decide'
import type { Assignment, Increment, StoredBets } from '../experiments'
import {
  applyBets,
  assign,
  betsOf,
  convertPage,
  countExposures,
  cryptoRandom,
  isBot,
  isPrefetch,
  markExposures,
  pingLinks,
  presence,
  testsConsentFor,
} from '../experiments'
import type { CountSink } from '../measure'
import { banditBounds, banditSpecs, batcher } from '../measure'
import type { ConsentState } from '../privacy'
import { errorText, logOnce } from '../log'
import type { SlotEdit } from '../rewrite'
import type { Keyring, VisitorRead, VisitorState } from '../visitor'
import { writeVisitor } from '../visitor'

/** What the read step learned about the experiments, for the respond step. */
export type BetState = {
  assignment: Assignment
  /** The cookie's assignments as they came in; undefined when the visitor is not a sticky unit. */
  incoming: StoredBets | undefined
  /** `ping` URLs for the links inside tested blocks (click goals). */
  pings: { selector: string; url: string }[]
  /** The slots whose exposure may count on this page. */
  tested: { slot: string; selector: string }[]
}

export type AssignStepInput = {
  request: Request
  compiled: CompiledConfig
  stored: VisitorState | undefined
  consent: ConsentState
  facts: Facts
  decisions: Decision[]
  /** A preview link or the dev simulator shaped this page. */
  overridden: boolean
  keyring: Keyring | undefined
  now: number
  random?: () => number
}

/**
 * Whether read step 6 has anything to do: the site runs experiments or a holdout, and the
 * visitor has not paused personalisation (a paused visitor takes part in nothing).
 */
function takesPart(compiled: CompiledConfig, stored: VisitorState | undefined): boolean {
  return (compiled.experiments.length > 0 || compiled.holdout !== undefined) && !stored?.paused
}

/**
 * Read step 6: draw or read each experiment's arm and apply it to the decisions. A site without
 * experiments or holdout costs nothing here (`takesPart`).
 */
export async function assignStep(
  input: AssignStepInput
): Promise<{ decisions: Decision[]; bet: BetState | undefined }> {
  const { compiled, stored, decisions } = input
  if (!takesPart(compiled, stored)) {
    return { decisions, bet: undefined }
  }
  const headers = input.request.headers
  const privacySignal = input.consent.privacySignal !== undefined
  const tests = testsConsentFor(
    { stored, eu: input.facts.eu, country: input.facts.country, privacySignal },
    { tests: compiled.config.consent.tests, explicitIn: compiled.config.consent.explicitIn }
  )
  const incoming = tests.allowed ? (betsOf(stored) as StoredBets) : undefined
  // Bandits: register their specs (sent with their batches) and draw new units by their weights.
  banditSpecs(compiled.experiments)
  const assignment = assign(compiled.experiments, compiled.holdout, {
    bounds: banditBounds,
    facts: input.facts,
    slots: new Set(decisions.map((d) => d.slot.id)),
    exclusions: {
      gpc: privacySignal,
      bot: isBot(headers),
      prefetch: isPrefetch(headers),
      preview: input.overridden,
    },
    stored: incoming,
    random: input.random ?? cryptoRandom,
  })
  const selectorOf = (slot: string) => compiled.slots.find((s) => s.id === slot)?.selector
  const pings = input.keyring
    ? await pingLinks(assignment, selectorOf, input.keyring, input.now)
    : []
  const tested = assignment.outcomes
    .filter((o) => o.counted)
    .map((o) => ({ slot: o.experiment.slot, selector: selectorOf(o.experiment.slot) ?? '' }))
    .filter((t) => t.selector !== '')
  return {
    decisions: applyBets(decisions, assignment),
    bet: { assignment, incoming, pings, tested },
  }
}

/**
 * Respond step 3, before the body streams: the cookie's new assignments (first exposures marked
 * where this isolate expects the block, page goals converted) and the page goals' increments.
 */
export function betBeforeStream(
  bet: BetState,
  compiled: CompiledConfig,
  path: string
): { next: StoredBets | undefined; marked: Set<string>; increments: Increment[] } {
  const { assignment, incoming } = bet
  // New draws and dropped entries first, then page goals, then the first-exposure bits.
  const drawn = assignment.next ?? incoming
  const goals = convertPage(compiled.experiments, compiled.holdout, drawn, path)
  const base = goals.next ?? drawn
  const changed = base !== incoming
  const marked = markExposures({ ...assignment, next: changed ? base : undefined }, base, (slot) =>
    presence.expects(path, slot)
  )
  return { next: marked.next, marked: marked.marked, increments: goals.increments }
}

/** Respond step 3, once the body has streamed: count the exposures of the blocks really there. */
export function betAfterStream(
  bet: BetState,
  path: string,
  seen: ReadonlySet<string>,
  marked: ReadonlySet<string>,
  sink: CountSink | undefined
): void {
  presence.remember(
    path,
    bet.tested.map((t) => t.slot),
    seen
  )
  const increments = countExposures(bet.assignment, bet.incoming, seen, marked)
  if (sink && increments.length) {
    batcher.add(increments, sink)
  }
}

/** The `ping` attribute for the links inside tested blocks (click goals). */
export function pingEdits(bet: BetState): SlotEdit[] {
  return bet.pings.map((p): SlotEdit => ({
    selector: p.selector,
    kind: 'attributes',
    set: [['ping', p.url]],
    remove: [],
    addClass: [],
    removeClass: [],
  }))
}

/** A `watch` edit per tested block: it changes nothing, and records that the block streamed. */
export function watchEdits(bet: BetState): SlotEdit[] {
  return bet.tested.map((t): SlotEdit => ({ selector: t.selector, slot: t.slot, kind: 'watch' }))
}

/** The cookie as read, with the experiments' new assignments when they changed. */
export function withBets(visitor: VisitorRead, next: StoredBets | undefined): VisitorRead {
  if (!next || visitor.status !== 'valid') {
    return visitor
  }
  const state: VisitorState = { ...visitor.visitor, experiments: next.experiments }
  if (next.holdout) {
    state.holdout = next.holdout
  } else {
    delete state.holdout
  }
  return { ...visitor, visitor: state }
}

/** Write the cookie for the assignments alone (no signals to record). Never throws. */
export async function writeBets(
  state: VisitorState,
  cookie: { name: string; maxAgeDays: number },
  keyring: Keyring,
  now: number
): Promise<string | undefined> {
  try {
    return await writeVisitor(state, { ...cookie, keyring, now })
  } catch (err) {
    logOnce('experiments', `assignments not kept: ${errorText(err)}`)
    return undefined
  }
}
