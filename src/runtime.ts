// Per-isolate state shared by the middleware and the /_tailor routes: config, keys, visitor reading.
import type { CompiledConfig, ConfigIssue } from './config'
import { compileConfig, formatIssues, sanitizePreferences } from './config'
import { readCf, readContext } from './context'
import { decide } from './decide'
import type { TailorBindings, TailorState } from './env'
import { logOnce } from './log'
import type { Keyring, VisitorRead } from './visitor'
import { loadKeyring, readVisitor } from './visitor'

/** A public key for `npm run dev` only: anyone can forge cookies signed with it. */
const DEV_SECRET = 'dev:tailor-public-development-key-do-not-deploy'

/** After this long, a visitor whose cookie was first written earlier counts as returning. */
const RETURNING_AFTER_SECONDS = 30 * 60

export type TailorOptions = {
  /** The config document (parsed JSON), validated and compiled once. */
  config: unknown
}

export type Runtime = {
  compiled: CompiledConfig | undefined
  issues: readonly ConfigIssue[]
  cookieName: string
  maxAgeDays: number
  /** The keyring for this environment, or a message saying why there is none. */
  keyring(
    env: TailorBindings | undefined
  ): Promise<{ ok: true; keyring: Keyring } | { ok: false; message: string }>
  /** Read the visitor's cookie and the request's context, and decide every slot. */
  read(
    request: Request,
    env: TailorBindings | undefined,
    now: number
  ): Promise<TailorState | undefined>
}

/**
 * Compile the config once and return what requests need. An invalid config is logged once and
 * yields a runtime that personalises nothing (fail open).
 * @example const runtime = createRuntime({ config: await import('../tailor.config.json') })
 */
export function createRuntime(options: TailorOptions): Runtime {
  const result = compileConfig(options.config)
  const compiled = result.ok ? result.compiled : undefined
  const issues = result.ok ? [] : result.issues
  if (!result.ok) {
    logOnce('config', `invalid, personalisation is off:\n${formatIssues(result.issues).join('\n')}`)
  }
  const cookieName = compiled?.config.cookie.name ?? '__Host-tailor'
  const maxAgeDays = compiled?.config.cookie.maxAgeDays ?? 180

  async function keyring(env: TailorBindings | undefined) {
    let secret = env?.TAILOR_SECRET
    if (!secret && env?.TAILOR_MODE === 'dev') {
      logOnce('keys', 'TAILOR_SECRET is not set: using the public development key (dev mode only)')
      secret = DEV_SECRET
    }
    if (!secret) {
      logOnce('keys', 'TAILOR_SECRET is not set: cookies are neither read nor written')
      return { ok: false as const, message: 'TAILOR_SECRET is not set.' }
    }
    const loaded = await loadKeyring(secret)
    if (!loaded.ok) {
      logOnce('keys', loaded.message)
    }
    return loaded
  }

  async function read(request: Request, env: TailorBindings | undefined, now: number) {
    if (!compiled) {
      return undefined
    }
    const keys = await keyring(env)
    let visitor: VisitorRead = { status: 'absent' }
    if (keys.ok) {
      visitor = await readVisitor(request.headers.get('cookie'), {
        name: cookieName,
        keyring: keys.keyring,
        now,
      })
    }
    // An invalid cookie is treated exactly like an absent one: nothing in it is used.
    const stored = visitor.status === 'valid' ? visitor.visitor : undefined
    const prefs = stored ? sanitizePreferences(stored.prefs, compiled.config.preferences) : {}
    const facts = readContext(
      {
        url: new URL(request.url),
        headers: request.headers,
        geo: readCf(request),
        now: new Date(now),
        prefs,
        returning: stored !== undefined && now / 1000 - stored.created > RETURNING_AFTER_SECONDS,
      },
      { locales: compiled.config.locales }
    )
    return {
      compiled,
      keyring: keys.ok ? keys.keyring : undefined,
      visitor,
      facts,
      decisions: decide(compiled, facts),
    }
  }

  return { compiled, issues, cookieName, maxAgeDays, keyring, read }
}
