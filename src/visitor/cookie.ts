// The visitor cookie: find and verify it, write it, clear it, and keep it from the origin.
import type { Keyring } from './keys'
import type { TokenFailure } from './token'
import { MAX_TOKEN_LENGTH, signToken, verifyToken } from './token'

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
 * One experiment's assignment of a visitor unit: the experiment's phase, the arm's index (-1: left
 * outside the experiment's coverage; for the holdout 1 = held out, 0 = not), and bits: 1 exposed
 * (the first exposure was counted), 2 left the test, 4 << g goal g converted. Nothing random that
 * could tell one visitor from another: an arm index says as much as a coin toss.
 * @example [3, 1, 5] // phase 3, arm 1, exposed, goal 0 converted
 */
export type StoredAssignment = [phase: number, arm: number, bits: number]

/** The visitor's answer to "include me in tests", and when they gave it. */
export type TestsConsent = { agreed: boolean; at: number }

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
  /** Their answer to "include me in tests". Absent: never asked. */
  tests?: TestsConsent
  /** Experiment id → assignment. Kept only with consent to tests; see StoredAssignment. */
  experiments?: Record<string, StoredAssignment>
  /** The global holdout's assignment, kept like an experiment's. */
  holdout?: StoredAssignment
}

/** Most experiment entries a cookie may carry; more reads as malformed (the config allows 32). */
export const MAX_STORED_EXPERIMENTS = 64

/** Highest bits value: exposed, left, and 8 goals. */
const MAX_ASSIGNMENT_BITS = 0x3ff

/** Most signal entries a cookie may carry; more reads as malformed (the config allows 16). */
export const MAX_STORED_SIGNALS = 32

// An interest id as the config spells it (IdSchema): what a signal key must look like.
const SIGNAL_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/

/** The three outcomes of reading the cookie. 'invalid' is used exactly like 'absent'. */
export type VisitorRead =
  | { status: 'absent' }
  | { status: 'valid'; visitor: VisitorState; kid: string; issuedAt: number }
  | { status: 'invalid'; reason: TokenFailure | 'duplicate' }

/** The token purpose of the visitor cookie: a token signed for anything else never reads as one. */
export const VISITOR_PURPOSE = 'visitor'

/**
 * The default cookie name. RFC 6265bis §4.1.3.2: a `__Host-` cookie is accepted only with Secure,
 * Path=/ and no Domain, so no sibling subdomain and no plain-HTTP page can set or shadow it.
 */
export const VISITOR_COOKIE_NAME = '__Host-tailor'

/** RFC 6265bis §5.6.2: a user agent caps Max-Age (and Expires) at 400 days. */
export const MAX_COOKIE_AGE_DAYS = 400

// RFC 6265bis §4.1.1: cookie-name is an RFC 9110 token. The same rule as the config's.
const COOKIE_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/

// RFC 6265bis §4.1.2: the attributes. Secure + Path=/ + no Domain satisfy the `__Host-` prefix
// (§4.1.3.2); HttpOnly keeps page scripts out (§4.1.2.6); SameSite=Lax still sends the cookie on
// a top-level navigation from another site, so a visitor arriving from a link is personalised
// (§4.1.2.7). Section numbers here follow draft-ietf-httpbis-rfc6265bis-22.
const ATTRIBUTES = 'Secure; HttpOnly; SameSite=Lax'

/**
 * Find the cookie in a Cookie header and verify it. Three outcomes, never throws, never rejects.
 *
 * Bounded: the header is scanned once, in place, whatever its size; it is never split into a map
 * (so a Cookie header over 8 KB costs one pass and no allocation per pair), and the token's
 * length is checked before anything in it is parsed ('oversized').
 *
 * A name present twice is 'duplicate': a browser sends two cookies of one name when they differ
 * in Domain or Path (RFC 6265bis §5.8.3 sorts by path, then creation time), e.g. one set with
 * Domain by a sibling subdomain. Neither is trusted over the other. A payload whose shape is not
 * VisitorState (prefs an object of string, string[] or boolean; created a number) is 'malformed'.
 * @example
 * const opts = { name: '__Host-tailor', keyring, now: Date.now() }
 * await readVisitor('theme=x; __Host-tailor=1.k2.eyJ2…', opts)
 * // { status: 'valid', visitor: { prefs: { theme: 'dark' }, created: 1767225600 },
 * //   kid: 'k2', issuedAt: 1767225600 }
 * await readVisitor(null, opts) // { status: 'absent' }
 * await readVisitor('__Host-tailor=1.k2.eyJ2…; __Host-tailor=x', opts)
 * // { status: 'invalid', reason: 'duplicate' }
 */
export async function readVisitor(
  cookieHeader: string | null,
  opts: { name: string; keyring: Keyring; now: number }
): Promise<VisitorRead> {
  try {
    const found = findCookie(cookieHeader ?? '', opts.name)
    if (found.count === 0) {
      return { status: 'absent' }
    }
    if (found.count === 2) {
      return { status: 'invalid', reason: 'duplicate' }
    }
    const result = await verifyToken(found.value, {
      purpose: VISITOR_PURPOSE,
      keyring: opts.keyring,
      now: opts.now,
    })
    if (!result.ok) {
      return { status: 'invalid', reason: result.reason }
    }
    const visitor = toVisitorState(result.data)
    if (!visitor) {
      return { status: 'invalid', reason: 'malformed' }
    }
    return { status: 'valid', visitor, kid: result.kid, issuedAt: result.iat }
  } catch {
    return { status: 'invalid', reason: 'malformed' }
  }
}

/**
 * Sign the visitor's state and return a whole Set-Cookie header value:
 * `<name>=<token>; Path=/; Max-Age=<days × 86400, at most 400 days>; Secure; HttpOnly;
 * SameSite=Lax`.
 * The token expires with the cookie (its TTL is the Max-Age), so a cookie kept past its Max-Age
 * by a misbehaving client still reads as 'expired'.
 *
 * Throws on what a caller must fix, never on a visitor's input it has validated: a name that is
 * not a cookie-name token, maxAgeDays not above 0, a state not shaped as VisitorState, or a
 * token longer than `readVisitor` accepts (3800 characters). Beware: that last one is reachable
 * when the preference vocabulary allows long texts or many options; the caller should answer
 * with a clear 4xx rather than a 500.
 * @example
 * await writeVisitor({ prefs: { theme: 'dark' }, created: 1767225600 }, {
 *   name: '__Host-tailor', keyring, now: Date.now(), maxAgeDays: 180,
 * }) // '__Host-tailor=1.k2.eyJ2…; Path=/; Max-Age=15552000; Secure; HttpOnly; SameSite=Lax'
 */
export async function writeVisitor(
  visitor: VisitorState,
  opts: { name: string; keyring: Keyring; now: number; maxAgeDays: number }
): Promise<string> {
  checkName('writeVisitor', opts.name)
  if (!(opts.maxAgeDays > 0) || !Number.isFinite(opts.maxAgeDays)) {
    throw new RangeError(`writeVisitor: Expected maxAgeDays above 0. Got ${opts.maxAgeDays}.`)
  }
  const state = toVisitorState(visitor)
  if (!state) {
    throw new TypeError(
      'writeVisitor: Expected { prefs: object of string, string[] or boolean; created: number; ' +
        'paused?: boolean; consent?: { signals: boolean; at: number }; signals?: { id: [score, day] }; ' +
        'tests?: { agreed: boolean; at: number }; experiments?: { id: [phase, arm, bits] }; holdout?: [phase, arm, bits] }.'
    )
  }
  const maxAge = Math.max(1, Math.floor(Math.min(opts.maxAgeDays, MAX_COOKIE_AGE_DAYS) * 86400))
  const token = await signToken(state, {
    purpose: VISITOR_PURPOSE,
    keyring: opts.keyring,
    now: opts.now,
    ttlSeconds: maxAge,
  })
  if (token.length > MAX_TOKEN_LENGTH) {
    // Writing it anyway would log the visitor out: the next read would be 'oversized'.
    throw new RangeError(
      `writeVisitor: Expected a cookie of at most ${MAX_TOKEN_LENGTH} characters. Got ${token.length}.`
    )
  }
  return `${opts.name}=${token}; Path=/; Max-Age=${maxAge}; ${ATTRIBUTES}`
}

/**
 * A Set-Cookie value that expires the cookie now. It repeats the attributes of `writeVisitor`:
 * a browser replaces a cookie only when name, Domain and Path match (RFC 6265bis §5.7),
 * and a `__Host-` cookie is refused without Secure and Path=/ even when deleting it (§4.1.3.2).
 * Throws only when `name` is not a cookie-name token.
 * @example
 * clearVisitor('__Host-tailor')
 * // '__Host-tailor=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'
 */
export function clearVisitor(name: string): string {
  checkName('clearVisitor', name)
  return `${name}=; Path=/; Max-Age=0; ${ATTRIBUTES}`
}

/**
 * The Cookie header without the named cookie (every occurrence), so Tailor's cookie never
 * reaches the origin. Returns null when nothing is left. Every other cookie-pair keeps its bytes
 * and order; only the "; " separators around the removed pair go with it. A header without the
 * cookie comes back as the same string.
 * @example stripCookie('a=1; __Host-tailor=1.k2.x.y; b=2', '__Host-tailor') // 'a=1; b=2'
 * @example stripCookie('__Host-tailor=1.k2.x.y', '__Host-tailor') // null
 */
export function stripCookie(cookieHeader: string | null, name: string): string | null {
  if (cookieHeader === null || cookieHeader.trim() === '') {
    return null
  }
  if (name === '' || !cookieHeader.includes(name)) {
    return cookieHeader
  }
  const kept: string[] = []
  let removed = false
  forEachPair(cookieHeader, (start, end, nameStart, nameEnd) => {
    if (nameStart !== -1 && isName(cookieHeader, nameStart, nameEnd, name)) {
      removed = true
    } else {
      kept.push(cookieHeader.slice(start, end))
    }
    return true
  })
  if (!removed) {
    return cookieHeader
  }
  const rest = trimOws(kept.join(';'))
  // What is left may be only separators ("a=1;;" once "a=1" is the removed one): nothing to send.
  return /^[\s;]*$/.test(rest) ? null : rest
}

/**
 * A copy holding only VisitorState's fields, or undefined when the shape is wrong. Optional fields
 * that are absent stay absent (so an old cookie round-trips byte for byte); `paused: false` and
 * empty signals are left out, as writing them would only lengthen the cookie.
 */
function toVisitorState(data: unknown): VisitorState | undefined {
  if (!isRecord(data)) {
    return undefined
  }
  const { prefs, created } = data
  if (typeof created !== 'number' || !Number.isFinite(created) || created < 0 || !isRecord(prefs)) {
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
): Omit<VisitorState, 'prefs' | 'created'> | undefined {
  const out: Omit<VisitorState, 'prefs' | 'created'> = {}
  const { paused, consent, signals, tests, experiments, holdout } = data
  if (paused !== undefined) {
    if (typeof paused !== 'boolean') {
      return undefined
    }
    if (paused) {
      out.paused = true
    }
  }
  if (consent !== undefined) {
    if (!isRecord(consent) || typeof consent.signals !== 'boolean' || !isTime(consent.at)) {
      return undefined
    }
    out.consent = { signals: consent.signals, at: consent.at }
  }
  if (signals !== undefined) {
    if (!isRecord(signals)) {
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
  if (tests !== undefined) {
    if (!isRecord(tests) || typeof tests.agreed !== 'boolean' || !isTime(tests.at)) {
      return undefined
    }
    out.tests = { agreed: tests.agreed, at: tests.at }
  }
  if (experiments !== undefined) {
    if (!isRecord(experiments)) {
      return undefined
    }
    const kept: [string, StoredAssignment][] = []
    for (const [key, value] of Object.entries(experiments)) {
      const entry = toAssignment(value)
      if (!SIGNAL_KEY.test(key) || !entry) {
        return undefined
      }
      kept.push([key, entry])
    }
    if (kept.length > MAX_STORED_EXPERIMENTS) {
      return undefined
    }
    if (kept.length) {
      out.experiments = Object.fromEntries(kept)
    }
  }
  if (holdout !== undefined) {
    const entry = toAssignment(holdout)
    if (!entry || entry[1] < 0 || entry[1] > 1) {
      return undefined
    }
    out.holdout = entry
  }
  return out
}

/** A copy of a well-formed assignment: small integers only, so nothing else can ride in it. */
function toAssignment(value: unknown): StoredAssignment | undefined {
  if (!Array.isArray(value) || value.length !== 3) {
    return undefined
  }
  const [phase, arm, bits] = value as unknown[]
  const int = (n: unknown, min: number, max: number): n is number =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max
  if (!int(phase, 1, 65_535) || !int(arm, -1, 7) || !int(bits, 0, MAX_ASSIGNMENT_BITS)) {
    return undefined
  }
  return [phase, arm, bits]
}

/** A finite number of at least 0 (seconds, days, scores). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false
  }
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function checkName(caller: string, name: string): void {
  if (!COOKIE_NAME_PATTERN.test(name)) {
    // Also what keeps ";" and line breaks out of the Set-Cookie header.
    throw new TypeError(
      `${caller}: Expected a cookie name (RFC 6265 token). Got ${JSON.stringify(name)}.`
    )
  }
}

/**
 * The value of the named cookie in a Cookie header when it is there exactly once; undefined when
 * it is absent or ambiguous (twice: which one the browser meant cannot be told). Same parsing
 * as `readVisitor`: RFC 6265bis pairs, names compared exactly, one pass.
 * @example cookieValue('a=1; __Host-tailor-preview=1.k2.x.y', '__Host-tailor-preview') // '1.k2.x.y'
 */
export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  const found = findCookie(cookieHeader ?? '', name)
  return found.count === 1 ? found.value : undefined
}

type Found = { count: 0 } | { count: 1; value: string } | { count: 2 }

/** The named cookie's value, or how many there are when it is not exactly one (stops at 2). */
function findCookie(header: string, name: string): Found {
  if (name === '' || !header.includes(name)) {
    return { count: 0 }
  }
  let value: string | undefined
  let twice = false
  forEachPair(header, (_start, end, nameStart, nameEnd, eq) => {
    if (nameStart === -1 || !isName(header, nameStart, nameEnd, name)) {
      return true
    }
    if (value !== undefined) {
      twice = true
      return false
    }
    value = trimOws(header.slice(eq + 1, end))
    return true
  })
  if (twice) {
    return { count: 2 }
  }
  return value === undefined ? { count: 0 } : { count: 1, value }
}

/**
 * Call `visit` for each cookie-pair of a Cookie header (RFC 6265bis §4.2.1, §5.6: pairs split
 * on ";", name before the first "=", SP and HTAB trimmed). `nameStart..nameEnd` is the trimmed
 * name, or -1 for a pair without "=" (a nameless cookie); `eq` is the "=". `visit` returns false
 * to stop.
 *
 * One pass in O(length): the next "=" is remembered rather than searched again for each pair,
 * so a header of many ";" cannot make the scan quadratic.
 */
function forEachPair(
  header: string,
  visit: (start: number, end: number, nameStart: number, nameEnd: number, eq: number) => boolean
): void {
  let nextEq = -2
  let start = 0
  while (start <= header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) {
      end = header.length
    }
    if (nextEq !== -1 && nextEq < start) {
      nextEq = header.indexOf('=', start)
    }
    let nameStart = -1
    let nameEnd = -1
    if (nextEq !== -1 && nextEq < end) {
      nameStart = start
      nameEnd = nextEq
      while (nameStart < nameEnd && isOws(header.charCodeAt(nameStart))) {
        nameStart++
      }
      while (nameEnd > nameStart && isOws(header.charCodeAt(nameEnd - 1))) {
        nameEnd--
      }
    }
    if (!visit(start, end, nameStart, nameEnd, nextEq)) {
      return
    }
    start = end + 1
  }
}

const isName = (header: string, start: number, end: number, name: string): boolean =>
  end - start === name.length && header.startsWith(name, start)

const isOws = (code: number): boolean => code === 0x20 || code === 0x09

function trimOws(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isOws(text.charCodeAt(start))) {
    start++
  }
  while (end > start && isOws(text.charCodeAt(end - 1))) {
    end--
  }
  return text.slice(start, end)
}
