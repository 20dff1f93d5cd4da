// Recording a page view's reading signals in the visitor's cookie, only where consent allows it.
import type { Config } from '../config'
import { signalsForPath } from '../config'
import { errorText, logOnce } from '../log'
import type { Keyring, VisitorRead, VisitorState } from '../visitor'
import { addSignals, writeVisitor } from '../visitor'
import type { ConsentState } from './consent'

/** What one page view's recording depends on: values read once for the request. */
export type PageView = {
  /** The site's config (its `hosts` entry when the hostname has one). */
  config: Config
  /** The visitor's cookie as read for this request. */
  visitor: VisitorRead
  /** Consent for this request, computed once (`consentFor`). */
  consent: Pick<ConsentState, 'record'>
  /** The signing keys; undefined when there are none. */
  keyring: Keyring | undefined
  /** A preview link or a dev-mode simulation shaped the page: not the visitor's own reading. */
  overridden: boolean
  /** The page's path (`/cycling/gravel`). */
  path: string
}

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
 * const cookie = await recordPageView({ config, visitor, consent, keyring, overridden: false, path: '/cycling/' }, now)
 * if (cookie) res.headers.append('set-cookie', cookie)
 */
export async function recordPageView(view: PageView, now: number): Promise<string | undefined> {
  try {
    const { visitor, keyring, config } = view
    if (visitor.status !== 'valid' || !keyring || view.overridden || !view.consent.record) {
      return undefined
    }
    const add = signalsForPath(config, view.path)
    if (Object.keys(add).length === 0) {
      return undefined
    }
    const stored = visitor.visitor
    const signals = addSignals(stored.signals, add, now, config.signals)
    const next: VisitorState = { ...stored, signals }
    return await writeVisitor(next, {
      name: config.cookie.name,
      keyring,
      now,
      maxAgeDays: config.cookie.maxAgeDays,
    })
  } catch (err) {
    // Only a cookie already near the size limit gets here; the page is served all the same.
    logOnce('signals', `not recorded: ${errorText(err)}`)
    return undefined
  }
}
