// Per-isolate state shared by the middleware and the /_tailor routes: the config source, the keys.
import type { CompiledConfig, LiveConfig } from '../config'
import { configForHost, createConfigSource, demoMismatch } from '../config'
import type { TailorBindings, WaitUntil } from '../env'
import { logOnce } from '../log'
import { PREVIEW_COOKIE } from '../tooling'
import type { KeyringResult } from '../visitor'
import { loadKeyring, VISITOR_COOKIE_NAME } from '../visitor'
import type { ReadInput } from './read'
import type { LiveSite } from './state'

/** A public key for `npm run dev` only: anyone can forge cookies signed with it. */
const DEV_SECRET = 'dev:tailor-public-development-key-do-not-deploy'

/** How long `npm run dev` keeps a KV config before reading it again. */
const DEV_CONFIG_TTL_MS = 2_000

export type TailorOptions = {
  /** The config document (parsed JSON), validated and compiled once. */
  config: unknown
  /** KV key of a hot-updatable config (binding `TAILOR_CONFIG`). Default "config". */
  configKey?: string
  /** How long a KV config is used before a background refresh. Default 30 s. */
  configTtlMs?: number
  /** The clock, ms since the epoch; tests pass a fixed one. Default `Date.now`. */
  clock?: () => number
}

/** What lives for the life of an isolate: the config source, the keyring, the clock. */
export type Runtime = {
  /** The request's clock, ms since the epoch (read once per request by the caller). */
  now(): number
  /** The live config (bundled, or from KV when bound). */
  live(env: TailorBindings | undefined, now: number, waitUntil?: WaitUntil): Promise<LiveConfig>
  /** The live config and the host's site in it: await it once per request and pass it on. */
  liveSite(
    request: Request,
    env: TailorBindings | undefined,
    now: number,
    waitUntil?: WaitUntil
  ): Promise<LiveSite>
  /** The keyring for this environment, or a message saying why there is none. */
  keyring(env: TailorBindings | undefined): Promise<KeyringResult>
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
  const clock = options.clock ?? Date.now

  function live(env: TailorBindings | undefined, now: number, waitUntil?: WaitUntil) {
    // Under `npm run dev` a pushed config shows within seconds; in production within ttlMs.
    const ttl = isDevMode(env) ? DEV_CONFIG_TTL_MS : undefined
    return source.current(env?.TAILOR_CONFIG, now, waitUntil, ttl)
  }

  // The last answer for a config without `hosts` (one per live config and ORIGIN), so most pages
  // reuse one object instead of making their own.
  let lastSite: { current: LiveConfig; origin: string | undefined; site: LiveSite } | undefined

  async function liveSite(
    request: Request,
    env: TailorBindings | undefined,
    now: number,
    waitUntil?: WaitUntil
  ): Promise<LiveSite> {
    const current = await live(env, now, waitUntil)
    const compiled = current.compiled
    const origin = env?.ORIGIN
    // Most configs have no `hosts`: then no URL is parsed for the hostname.
    if (compiled?.hosts.size) {
      return pairSite(current, configForHost(compiled, new URL(request.url).hostname), origin)
    }
    if (lastSite?.current !== current || lastSite.origin !== origin) {
      lastSite = { current, origin, site: pairSite(current, compiled, origin) }
    }
    return lastSite.site
  }

  // The keys of the last environment seen (one TAILOR_SECRET, one mode per isolate): without
  // this, a worker with no secret called the once-only logger on every page, which costs.
  let last: { secret: string | undefined; dev: boolean; keys: Promise<KeyringResult> } | undefined

  function keyring(env: TailorBindings | undefined): Promise<KeyringResult> {
    const secret = env?.TAILOR_SECRET
    const dev = isDevMode(env)
    if (last && last.secret === secret && last.dev === dev) {
      return last.keys
    }
    last = { secret, dev, keys: keysFor(env) }
    return last.keys
  }

  async function keysFor(env: TailorBindings | undefined): Promise<KeyringResult> {
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

  return { now: () => clock(), live, liveSite, keyring }
}

/** A live config and its host's site, which passes through while it is the demo's config. */
function pairSite(
  current: LiveConfig,
  site: CompiledConfig | undefined,
  origin: string | undefined
): LiveSite {
  // The demo's config in front of a real site would blank or rewrite its blocks: pass through.
  const demo = site && demoMismatch(site.config.demo, site.origin ?? origin)
  if (demo) {
    logOnce('config', demo)
    return Object.freeze({ live: current, site: undefined })
  }
  return Object.freeze({ live: current, site })
}

/**
 * The read step's values for one request: its live site (awaited once by the caller), the keys
 * (only when a config is live, as before: no key warnings for a site that personalises nothing)
 * and the clock. `page`: a page on its way to the visitor, which reads only the context fields
 * the site's rules and templates name (outside dev mode); otherwise (the centre, the API) all.
 * @example const state = await read(await readInputFor(runtime, request, env, site, now))
 */
export async function readInputFor(
  runtime: Runtime,
  request: Request,
  env: TailorBindings | undefined,
  site: LiveSite,
  now: number,
  page = false
): Promise<ReadInput> {
  const keys = site.site ? await runtime.keyring(env) : undefined
  const dev = isDevMode(env)
  return {
    request,
    site,
    keyring: keys?.ok ? keys.keyring : undefined,
    now,
    dev,
    fields: page && !dev ? site.site?.fields : undefined,
  }
}

/**
 * The cookies of Tailor's that never go to the origin: the visitor cookie (the site's name for
 * it, the default without a valid config) and the preview cookie.
 * @example tailorCookieNames(undefined) // ['__Host-tailor', '__Host-tailor-preview']
 */
export function tailorCookieNames(site: CompiledConfig | undefined): readonly string[] {
  if (!site) {
    return DEFAULT_COOKIE_NAMES
  }
  // One list per compiled config, not one per request.
  let names = cookieNames.get(site)
  if (!names) {
    names = Object.freeze([site.config.cookie.name, PREVIEW_COOKIE])
    cookieNames.set(site, names)
  }
  return names
}

const DEFAULT_COOKIE_NAMES: readonly string[] = Object.freeze([VISITOR_COOKIE_NAME, PREVIEW_COOKIE])
const cookieNames = new WeakMap<CompiledConfig, readonly string[]>()
