// Signed visitor cookies for whole-app tests.
import { loadKeyring, writeVisitor } from '../../src/visitor'
import type { VisitorState } from '../../src/visitor'
import { ENV } from './origin'

/**
 * The `name=value` a browser would send back for this visitor, signed with the test keys.
 * `state` adds the rest of what a cookie may hold (consent to tests, experiment arms…).
 */
export async function visitorCookie(
  prefs: VisitorState['prefs'],
  opts: {
    secret?: string
    now?: number
    created?: number
    name?: string
    state?: Omit<Partial<VisitorState>, 'prefs' | 'created'>
  } = {}
): Promise<string> {
  const loaded = await loadKeyring(opts.secret ?? ENV.TAILOR_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const now = opts.now ?? Date.now()
  const setCookie = await writeVisitor(
    { ...opts.state, prefs, created: opts.created ?? Math.floor(now / 1000) },
    { name: opts.name ?? '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return setCookie.slice(0, setCookie.indexOf(';'))
}
