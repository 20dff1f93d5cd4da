// The `cache` field of a config document, read once when the app is built.
import * as v from 'valibot'
import { CacheOptionsSchema } from '../config'
import type { CacheOptions } from './policy'

/**
 * The cache options of a config document (parsed JSON, not yet validated as a whole). An absent
 * field gives the default (on, for pages the origin marks cacheable); an invalid one turns the
 * cache off, since not storing is always safe (`compileConfig` reports the field's problem).
 * @example readCacheOptions({ version: 1, cache: { maxAgeSeconds: 600 } }) // { enabled: true, maxAgeSeconds: 600 }
 */
export function readCacheOptions(config: unknown): CacheOptions {
  const field =
    typeof config === 'object' && config !== null
      ? (config as { cache?: unknown }).cache
      : undefined
  const parsed = v.safeParse(CacheOptionsSchema, field ?? {})
  return parsed.success ? parsed.output : { enabled: false }
}
