// The signing keys from TAILOR_SECRET: parsed, imported as HMAC CryptoKeys once per isolate.

/** The keys of one TAILOR_SECRET: the first entry signs, every entry verifies. */
export type Keyring = {
  signer: { kid: string; key: CryptoKey }
  verifiers: ReadonlyMap<string, CryptoKey>
}

export type KeyringResult = { ok: true; keyring: Keyring } | { ok: false; message: string }

/** A key id: what a token names in its header so the verifier can pick the key. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/

/** The key id of a bare secret written without `kid:`. */
export const DEFAULT_KID = '0'

/** Shortest secret accepted, in characters. */
export const MIN_SECRET_LENGTH = 16

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const

// A worker sees one TAILOR_SECRET (two while a deploy rolls out); the bound only stops a caller
// that passes many distinct strings (tests, a misuse) from growing the cache without end.
const MAX_CACHED = 8
const cache = new Map<string, Promise<KeyringResult>>()

type Entry = { kid: string; secret: string }

/**
 * Parse TAILOR_SECRET and import its keys. Cheap to call on every request: the result (or the
 * problem) is cached per distinct secret string for the life of the isolate. Never rejects.
 *
 * The format is `kid:secret` entries, comma-separated, whitespace around entries and around the
 * colon ignored. The first entry signs; all verify, so to rotate, prepend a new key, and drop the
 * old one once every cookie signed with it has expired. A bare `secret` has key id "0".
 * Key ids: 1 to 16 of `A-Z a-z 0-9 _ -`, each listed once. Secrets: at least 16 characters.
 *
 * Beware: a bare secret that contains a colon is read as `kid:secret`. `"a b:0123456789abcdef0"`
 * fails with "key 1: Expected a key id…", and never silently signs with half of the secret.
 *
 * Messages name the entry and the problem and never echo a secret (they may reach a response).
 * @example
 * await loadKeyring('k2:0123456789abcdef-new,k1:0123456789abcdef-old')
 * // { ok: true, keyring: { signer: { kid: 'k2', key }, verifiers: Map { 'k2', 'k1' } } }
 * await loadKeyring('k1:short')
 * // { ok: false, message:
 * //   'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 5 characters.' }
 */
export function loadKeyring(secret: string | undefined): Promise<KeyringResult> {
  const text = secret ?? ''
  const cached = cache.get(text)
  if (cached) {
    return cached
  }
  const loading = importKeyring(text)
  if (cache.size >= MAX_CACHED) {
    // Maps iterate in insertion order: the first key is the oldest.
    cache.delete(cache.keys().next().value as string)
  }
  cache.set(text, loading)
  return loading
}

async function importKeyring(text: string): Promise<KeyringResult> {
  const parsed = parseSecret(text)
  if (typeof parsed === 'string') {
    return { ok: false, message: `TAILOR_SECRET: ${parsed}` }
  }
  const verifiers = new Map<string, CryptoKey>()
  try {
    for (const { kid, secret } of parsed) {
      const raw = new TextEncoder().encode(secret)
      verifiers.set(kid, await crypto.subtle.importKey('raw', raw, HMAC, false, ['sign', 'verify']))
    }
  } catch {
    // Not expected for HMAC with a non-empty raw key; said plainly rather than thrown per request.
    return {
      ok: false,
      message: 'TAILOR_SECRET: Expected keys WebCrypto can import as HMAC-SHA256.',
    }
  }
  const first = parsed[0] as Entry
  const keyring: Keyring = {
    signer: { kid: first.kid, key: verifiers.get(first.kid) as CryptoKey },
    verifiers,
  }
  return { ok: true, keyring }
}

/** The entries, or the first problem as "key N: Expected … Got …". */
function parseSecret(text: string): Entry[] | string {
  if (text.trim() === '') {
    return 'Expected one or more "kid:secret" entries, comma-separated. Got nothing.'
  }
  const entries: Entry[] = []
  const seen = new Map<string, number>()
  const parts = text.split(',')
  for (let i = 0; i < parts.length; i++) {
    const where = `key ${i + 1}`
    const part = (parts[i] as string).trim()
    if (part === '') {
      return `${where}: Expected "kid:secret" or a secret. Got an empty entry.`
    }
    const colon = part.indexOf(':')
    const kid = colon === -1 ? DEFAULT_KID : part.slice(0, colon).trim()
    const secret = colon === -1 ? part : part.slice(colon + 1).trim()
    if (!KID_PATTERN.test(kid)) {
      // The "kid" may be half of a pasted secret: describe it, never show it.
      const got =
        kid.length < 1 || kid.length > 16
          ? `Got ${characters(kid.length)}.`
          : 'Got a character outside that set.'
      return `${where}: Expected a key id of 1 to 16 characters from A-Z, a-z, 0-9, "_" and "-". ${got}`
    }
    const length = [...secret].length
    if (length < MIN_SECRET_LENGTH) {
      return `${where}: Expected a secret of at least ${MIN_SECRET_LENGTH} characters. Got ${characters(length)}.`
    }
    const earlier = seen.get(kid)
    if (earlier !== undefined) {
      // A valid key id is public (every token carries it), so naming it is safe.
      return `${where}: Expected a key id not used before. Got "${kid}", already key ${earlier}.`
    }
    seen.set(kid, i + 1)
    entries.push({ kid, secret })
  }
  return entries
}

const characters = (n: number): string => (n === 1 ? '1 character' : `${n} characters`)
