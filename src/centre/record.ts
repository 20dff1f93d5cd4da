// Recording a page view's reading signals in the visitor's cookie, only where consent allows it.
import { signalsForPath } from '../config'
import type { TailorState } from '../env'
import { errorText, logOnce } from '../log'
import type { VisitorState } from '../visitor'
import { addSignals, writeVisitor } from '../visitor'
import { readConsent } from './consent'

/**
 * The Set-Cookie value that records this page view's signals, or undefined when nothing is to be
 * recorded. Call it only for a GET 200 HTML page Tailor personalises. Undefined when:
 * - the visitor has no valid cookie (tier 0: a page view never creates a cookie);
 * - consent does not allow recording here (no "yes" where one is needed, a withdrawal, GPC or an
 *   honoured DNT, or a pause; see `consentFor`);
 * - the view is a preview or a dev-mode simulation (not the visitor's own reading);
 * - no rule matches the path, or there is no signing key.
 * Never throws: a failure is logged once and nothing is recorded.
 * @example
 * const cookie = await recordPageView(state, c.req.raw, Date.now())
 * if (cookie) res.headers.append('set-cookie', cookie)
 */
export async function recordPageView(
  state: TailorState,
  request: Request,
  now: number
): Promise<string | undefined> {
  try {
    const simulated =
      state.simulation !== undefined &&
      (Object.keys(state.simulation.overrides).length > 0 || state.simulation.issues.length > 0)
    if (state.visitor.status !== 'valid' || !state.keyring || state.preview || simulated) {
      return undefined
    }
    const stored = state.visitor.visitor
    const { config } = state.compiled
    if (!readConsent(stored, config, request).record) {
      return undefined
    }
    const add = signalsForPath(config, new URL(request.url).pathname)
    if (Object.keys(add).length === 0) {
      return undefined
    }
    const signals = addSignals(stored.signals, add, now, config.signals)
    const next: VisitorState = { ...stored, signals }
    return await writeVisitor(next, {
      name: config.cookie.name,
      keyring: state.keyring,
      now,
      maxAgeDays: config.cookie.maxAgeDays,
    })
  } catch (err) {
    // Only a cookie already near the size limit gets here; the page is served all the same.
    logOnce('signals', `not recorded: ${errorText(err)}`)
    return undefined
  }
}
