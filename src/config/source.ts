// Where the live config comes from: the bundled file, or Workers KV for updates without a deploy.
import { logOnce } from '../log'
import type { CompiledConfig } from './compile'
import { compileConfig, configRevision } from './compile'
import type { ConfigIssue } from './issues'
import { formatIssues } from './issues'

/** The key the config is stored under in the KV namespace (`npm run config:push` writes it). */
export const CONFIG_KEY = 'config'
/** How long a KV config is used before it is refreshed in the background. */
export const CONFIG_TTL_MS = 30_000

/** The config a request runs with, and where it came from (for /_tailor/health). */
export type LiveConfig = {
  compiled: CompiledConfig | undefined
  /** Problems with the config in use (an invalid bundled config) or with a KV value refused. */
  issues: readonly ConfigIssue[]
  source: 'bundled' | 'kv'
  revision: string
  /** When the KV value was last read (ms since epoch); undefined for the bundled config. */
  checkedAt: number | undefined
}

export type ConfigSource = {
  /** The bundled config, compiled when the source was created (undefined when invalid). */
  bundled: CompiledConfig | undefined
  /**
   * The live config. Without a KV namespace: the bundled one, compiled once. With one: the KV
   * value, cached per isolate for `ttlMs`; a stale copy is served while `waitUntil` refreshes it,
   * and an invalid KV value is logged once and the last good config kept.
   */
  current(
    kv: KVNamespace | undefined,
    now: number,
    waitUntil?: (promise: Promise<unknown>) => void,
    /** This call's freshness, overriding the source's `ttlMs` (dev mode uses a short one). */
    ttlMs?: number
  ): Promise<LiveConfig>
}

/**
 * @example
 * const source = createConfigSource(bundledJson)
 * const live = await source.current(env.TAILOR_CONFIG, Date.now(), (p) => ctx.waitUntil(p))
 */
export function createConfigSource(
  bundled: unknown,
  options: { key?: string; ttlMs?: number } = {}
): ConfigSource {
  const key = options.key ?? CONFIG_KEY
  const ttlMs = options.ttlMs ?? CONFIG_TTL_MS
  const first = compileConfig(bundled)
  const bundledLive: LiveConfig = {
    compiled: first.ok ? first.compiled : undefined,
    issues: first.ok ? [] : first.issues,
    source: 'bundled',
    revision: configRevision(bundled),
    checkedAt: undefined,
  }
  if (!first.ok) {
    logOnce(
      'config',
      `bundled config invalid, personalisation is off:\n${formatIssues(first.issues).join('\n')}`
    )
  }

  // The last good config read from KV (or the bundled one), per isolate.
  let cached: LiveConfig | undefined
  let inflight: Promise<LiveConfig> | undefined

  async function refresh(kv: KVNamespace, now: number): Promise<LiveConfig> {
    const good = cached ?? bundledLive
    let text: string | null
    try {
      text = await kv.get(key, 'text')
    } catch (err) {
      logOnce(
        'config',
        `KV read failed, keeping the ${good.source} config: ${(err as Error).message}`
      )
      cached = { ...good, checkedAt: now }
      return cached
    }
    if (text === null) {
      // Nothing pushed yet: the bundled config is the live one.
      cached = { ...bundledLive, checkedAt: now }
      return cached
    }
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch (err) {
      logOnce(
        'config',
        `KV value "${key}" is not JSON, keeping the ${good.source} config: ${(err as Error).message}`
      )
      cached = { ...good, checkedAt: now }
      return cached
    }
    const revision = configRevision(doc)
    if (cached?.source === 'kv' && cached.revision === revision) {
      cached = { ...cached, checkedAt: now }
      return cached
    }
    const result = compileConfig(doc)
    if (!result.ok) {
      logOnce(
        'config',
        `KV config ${revision} invalid, keeping the ${good.source} config ${good.revision}:\n${formatIssues(result.issues).join('\n')}`
      )
      cached = { ...good, checkedAt: now }
      return cached
    }
    cached = { compiled: result.compiled, issues: [], source: 'kv', revision, checkedAt: now }
    return cached
  }

  return {
    bundled: bundledLive.compiled,
    async current(kv, now, waitUntil, ttl = ttlMs) {
      if (!kv) {
        return bundledLive
      }
      if (cached && cached.checkedAt !== undefined && now - cached.checkedAt < ttl) {
        return cached
      }
      inflight ??= refresh(kv, now).finally(() => {
        inflight = undefined
      })
      if (cached && waitUntil) {
        // Stale: answer with what we have, refresh for the next request.
        waitUntil(inflight)
        return cached
      }
      return inflight
    },
  }
}
