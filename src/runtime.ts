// Per-isolate state shared by the middleware and the /_tailor routes: config, keys, visitor reading.
import type { CompiledConfig, LiveConfig } from './config'
import { createConfigSource, demoMismatch, sanitizePreferences, siteFor } from './config'
import { pausedDecisions, signalFacts } from './centre'
import { readCf, readContext } from './context'
import { decide } from './decide'
import type { TailorBindings, TailorState, WaitUntil } from './env'
import { logOnce } from './log'
import type { PreviewData } from './tooling'
import {
  applyPreview,
  applySimulation,
  PREVIEW_COOKIE,
  PREVIEW_PURPOSE,
  previewFromToken,
  readSimulation,
} from './tooling'
import type { Keyring, VisitorRead } from './visitor'
import { cookieValue, loadKeyring, readVisitor, verifyToken, VISITOR_COOKIE_NAME } from './visitor'

/** A public key for `npm run dev` only: anyone can forge cookies signed with it. */
const DEV_SECRET = 'dev:tailor-public-development-key-do-not-deploy'

/** How long `npm run dev` keeps a KV config before reading it again. */
const DEV_CONFIG_TTL_MS = 2_000

/** After this long, a visitor whose cookie was first written earlier counts as returning. */
const RETURNING_AFTER_SECONDS = 30 * 60

export type TailorOptions = {
  /** The config document (parsed JSON), validated and compiled once. */
  config: unknown
  /** KV key of a hot-updatable config (binding `TAILOR_CONFIG`). Default "config". */
  configKey?: string
  /** How long a KV config is used before a background refresh. Default 30 s. */
  configTtlMs?: number
}

/** A signed preview in force for this request. */
export type ActivePreview = { data: PreviewData; expiresAt: number }

export type KeyringResult = { ok: true; keyring: Keyring } | { ok: false; message: string }

export type Runtime = {
  /** The live config (bundled, or from KV when bound). */
  live(env: TailorBindings | undefined, now: number, waitUntil?: WaitUntil): Promise<LiveConfig>
  /**
   * What the origin handler needs before the config has loaded for this request, from the last
   * config this isolate saw: the cookies never to forward, and the host's own origin if any.
   */
  hints(hostname: string): { cookies: readonly string[]; origin: string | undefined }
  /** The keyring for this environment, or a message saying why there is none. */
  keyring(env: TailorBindings | undefined): Promise<KeyringResult>
  /** Read the visitor's cookie and the request's context, and decide every slot. */
  read(
    request: Request,
    env: TailorBindings | undefined,
    now: number,
    waitUntil?: WaitUntil
  ): Promise<TailorState | undefined>
}

/** Whether the worker runs under `npm run dev` (the simulator and explanations are on). */
export function isDevMode(env: TailorBindings | undefined): boolean {
  return env?.TAILOR_MODE === 'dev'
}

/**
 * Compile the config once and return what requests need. An invalid config is logged once and
 * yields a runtime that personalises nothing (fail open).
 * @example const runtime = createRuntime({ config: await import('../tailor.config.json') })
 */
export function createRuntime(options: TailorOptions): Runtime {
  const source = createConfigSource(options.config, {
    key: options.configKey,
    ttlMs: options.configTtlMs,
  })

  let last: CompiledConfig | undefined = source.bundled

  async function live(env: TailorBindings | undefined, now: number, waitUntil?: WaitUntil) {
    // Under `npm run dev` a pushed config shows within seconds; in production within ttlMs.
    const ttl = isDevMode(env) ? DEV_CONFIG_TTL_MS : undefined
    const current = await source.current(env?.TAILOR_CONFIG, now, waitUntil, ttl)
    last = current.compiled ?? last
    return current
  }

  function hints(hostname: string) {
    const site = last && siteFor(last, hostname)
    return {
      cookies: [site?.config.cookie.name ?? VISITOR_COOKIE_NAME, PREVIEW_COOKIE],
      origin: site?.origin,
    }
  }

  async function keyring(env: TailorBindings | undefined): Promise<KeyringResult> {
    let secret = env?.TAILOR_SECRET
    if (!secret && isDevMode(env)) {
      // Expected on a first `npm run dev`: a note, not a warning (see README, quick start).
      logOnce(
        'keys',
        'TAILOR_SECRET is not set: using the public development key (dev mode only)',
        'note'
      )
      secret = DEV_SECRET
    }
    if (!secret) {
      logOnce('keys', 'TAILOR_SECRET is not set: cookies are neither read nor written')
      return { ok: false, message: 'TAILOR_SECRET is not set.' }
    }
    const loaded = await loadKeyring(secret)
    if (!loaded.ok) {
      logOnce('keys', loaded.message)
    }
    return loaded
  }

  async function readPreview(
    request: Request,
    keys: Keyring,
    site: CompiledConfig,
    now: number
  ): Promise<ActivePreview | undefined> {
    const value = cookieValue(request.headers.get('cookie'), PREVIEW_COOKIE)
    if (!value) {
      return undefined
    }
    const verified = await verifyToken(value, { purpose: PREVIEW_PURPOSE, keyring: keys, now })
    if (!verified.ok) {
      return undefined
    }
    const data = previewFromToken(verified.data, site)
    return data && { data, expiresAt: verified.exp }
  }

  async function read(
    request: Request,
    env: TailorBindings | undefined,
    now: number,
    waitUntil?: WaitUntil
  ): Promise<TailorState | undefined> {
    const config = await live(env, now, waitUntil)
    if (!config.compiled) {
      return undefined
    }
    const url = new URL(request.url)
    const compiled = siteFor(config.compiled, url.hostname)
    // The demo's config in front of a real site would blank or rewrite its blocks: pass through.
    const demo = demoMismatch(config.compiled.config.demo, compiled.origin ?? env?.ORIGIN)
    if (demo) {
      logOnce('config', demo)
      return undefined
    }
    const { cookie } = compiled.config
    const keys = await keyring(env)
    let visitor: VisitorRead = { status: 'absent' }
    if (keys.ok) {
      visitor = await readVisitor(request.headers.get('cookie'), {
        name: cookie.name,
        keyring: keys.keyring,
        now,
      })
    }
    // An invalid cookie is treated exactly like an absent one: nothing in it is used.
    const stored = visitor.status === 'valid' ? visitor.visitor : undefined
    const prefs = stored ? sanitizePreferences(stored.prefs, compiled.config.preferences) : {}
    let facts = readContext(
      {
        url,
        headers: request.headers,
        geo: readCf(request),
        now: new Date(now),
        prefs,
        returning: stored !== undefined && now / 1000 - stored.created > RETURNING_AFTER_SECONDS,
        // Reading signals only with consent (src/centre/consent.ts), decayed to now.
        signals: signalFacts(stored, compiled.config, request, now),
      },
      { locales: compiled.config.locales }
    )
    const dev = isDevMode(env)
    // The simulator exists only in dev mode: in production its parameter and header do nothing.
    const simulation = dev ? readSimulation(request) : undefined
    if (simulation) {
      facts = applySimulation(facts, simulation)
    }
    const preview = keys.ok ? await readPreview(request, keys.keyring, compiled, now) : undefined
    if (preview) {
      facts = applyPreview(facts, preview.data)
    }
    return {
      compiled,
      config,
      keyring: keys.ok ? keys.keyring : undefined,
      visitor,
      facts,
      // Paused by the visitor: every slot keeps the origin's content (a preview link still applies).
      decisions:
        stored?.paused && !preview
          ? pausedDecisions(decide(compiled, facts))
          : decide(compiled, facts, preview?.data.variants),
      explain: dev || preview !== undefined,
      simulation,
      preview,
    }
  }

  return { live, hints, keyring, read }
}
