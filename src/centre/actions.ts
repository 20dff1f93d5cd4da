// The visitor's actions (save, pause, consent, clear, erase): one code path for forms and the API.
import type { CompiledConfig, ConfigIssue } from '../config'
import { validatePreferences } from '../config'
import type { Increment } from '../experiments'
import { betsOf, leave } from '../experiments'
import type { KeyringResult, VisitorRead, VisitorState } from '../visitor'
import { clearVisitor, readVisitor, VISITOR_COOKIE_NAME, writeVisitor } from '../visitor'

/** What a visitor can do in the centre (or through the API). */
export type CentreAction =
  /** Replace every preference (validated against the config's vocabulary). */
  | { type: 'preferences'; input: unknown }
  /** Pause (true) or resume (false) personalisation. */
  | { type: 'pause'; paused: boolean }
  /** Agree (true) or refuse/withdraw (false) reading signals; withdrawing erases them at once. */
  | { type: 'consent'; signals: boolean }
  /** Erase the reading signals, keeping the answer about consent. */
  | { type: 'clear-signals' }
  /** Erase everything: the cookie is expired. */
  | { type: 'erase' }
  /** Agree (true) or refuse (false) to be included in tests; refusing drops every assignment. */
  | { type: 'tests'; agreed: boolean }
  /** Leave one test: its slot's normal decision from now on, nothing more counted. */
  | { type: 'leave-test'; id: string }

export type ActionResult =
  | {
      ok: true
      setCookie: string
      visitor: VisitorState | undefined
      /** Counts the action adds (leaving a test adds to its arm's `left`). */
      increments?: Increment[]
    }
  | { ok: false; status: 400 | 413 | 503; error: string; issues: ConfigIssue[] }

const NOT_CONFIGURED = 'Tailor is not configured (see /_tailor/health).'

/** What an action works on, read once for the request by the route. */
export type ActionInput = {
  request: Request
  /** The host's compiled config, or undefined when no valid config is live. */
  site: CompiledConfig | undefined
  /** The signing keys, or why there are none. */
  keyring: KeyringResult
  now: number
}

/**
 * Apply one visitor action and return the Set-Cookie value that carries the result. It takes
 * values (the config and keys the route read once) and never touches the response, so a form
 * handler and a JSON handler wrap the same outcome in their own way.
 *
 * Every action except `erase` starts from the visitor's current cookie (a missing or invalid one
 * starts afresh) and keeps what the action does not touch: saving preferences keeps consent and
 * signals, pausing keeps preferences.
 * @example
 * const result = await applyAction({ request, site, keyring, now }, { type: 'pause', paused: true })
 * if (result.ok) c.header('set-cookie', result.setCookie)
 */
export async function applyAction(input: ActionInput, action: CentreAction): Promise<ActionResult> {
  const { request, site, now } = input
  if (action.type === 'erase') {
    // Erasing needs neither a config nor a key: it only expires the cookie.
    const name = site?.config.cookie.name ?? VISITOR_COOKIE_NAME
    return { ok: true, setCookie: clearVisitor(name), visitor: undefined }
  }
  if (!site) {
    return { ok: false, status: 503, error: NOT_CONFIGURED, issues: [] }
  }
  let prefs: VisitorState['prefs'] | undefined
  if (action.type === 'preferences') {
    const checked = validatePreferences(action.input, site.config.preferences)
    if (!checked.ok) {
      return { ok: false, status: 400, error: 'Invalid preferences.', issues: checked.issues }
    }
    prefs = checked.value
  }
  const keys = input.keyring
  if (!keys.ok) {
    // The details (which key, why) are in the log, not for the visitor.
    return {
      ok: false,
      status: 503,
      error: 'Nothing can be saved: this site has no valid signing key.',
      issues: [],
    }
  }
  const { cookie } = site.config
  const read: VisitorRead = await readVisitor(request.headers.get('cookie'), {
    name: cookie.name,
    keyring: keys.keyring,
    now,
  })
  const current: VisitorState =
    read.status === 'valid' ? read.visitor : { prefs: {}, created: Math.floor(now / 1000) }
  let increments: Increment[] | undefined
  let next: VisitorState
  if (action.type === 'leave-test') {
    const left = leave(site.experiments, betsOf(current), action.id)
    increments = left.increments
    next = left.next ? { ...current, experiments: left.next.experiments } : current
  } else {
    next = nextState(current, action, prefs, now)
  }
  try {
    const setCookie = await writeVisitor(next, {
      name: cookie.name,
      keyring: keys.keyring,
      now,
      maxAgeDays: cookie.maxAgeDays,
    })
    return { ok: true, setCookie, visitor: next, increments }
  } catch {
    // Only a cookie over the size a browser keeps gets here (the config allows long lists).
    return {
      ok: false,
      status: 413,
      error: 'Too much to keep in a cookie: choose fewer options or a shorter text.',
      issues: [],
    }
  }
}

/** The state after an action (never `erase`, handled before): a copy, the current one untouched. */
function nextState(
  current: VisitorState,
  action: Exclude<CentreAction, { type: 'erase' } | { type: 'leave-test' }>,
  prefs: VisitorState['prefs'] | undefined,
  now: number
): VisitorState {
  const next: VisitorState = { ...current }
  switch (action.type) {
    case 'preferences':
      next.prefs = prefs ?? {}
      break
    case 'pause':
      if (action.paused) {
        next.paused = true
      } else {
        delete next.paused
      }
      break
    case 'consent':
      next.consent = { signals: action.signals, at: Math.floor(now / 1000) }
      if (!action.signals) {
        // Withdrawing erases what was kept, at once (GDPR Art. 7(3): as easy as giving consent).
        delete next.signals
      }
      break
    case 'clear-signals':
      delete next.signals
      break
    case 'tests':
      next.tests = { agreed: action.agreed, at: Math.floor(now / 1000) }
      if (!action.agreed) {
        // Refusing drops every kept assignment at once, like withdrawing signals.
        delete next.experiments
        delete next.holdout
      }
      break
  }
  return next
}
