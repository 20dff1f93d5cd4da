// Per-isolate memory of pages the origin does not let a shared cache keep, to skip their lookups.

/** How long a page stays on the list after the origin said it may not be kept. */
export const SKIP_TTL_MS = 60_000

/** Most pages remembered at once; past that the oldest is forgotten (and looked up again). */
export const SKIP_MAX = 1000

/**
 * Pages whose last origin response was a 200 that may not be stored (no lifetime, `no-store`,
 * `private`, not HTML…): a cache lookup for them is a sure miss, so it is skipped for a while.
 * This is what keeps the default (cache on) free for an origin that marks nothing cacheable.
 *
 * It only ever skips a lookup, never stores: each origin response is still judged on its own,
 * and a page that becomes cacheable is stored, and leaves the list, at its next fetch.
 * @example
 * const skip = createSkipList()
 * if (!skip.has(key, Date.now())) hit = await lookup(…)
 */
export function createSkipList(ttlMs = SKIP_TTL_MS, max = SKIP_MAX) {
  const until = new Map<string, number>()
  return {
    /** Whether a lookup of this key is known to miss now. */
    has(key: string, now: number): boolean {
      const t = until.get(key)
      if (t === undefined) {
        return false
      }
      if (t > now) {
        return true
      }
      until.delete(key)
      return false
    },
    /** The origin just said this page may not be kept. */
    add(key: string, now: number): void {
      until.delete(key)
      if (until.size >= max) {
        // Maps iterate in insertion order: the first key is the oldest.
        until.delete(until.keys().next().value as string)
      }
      until.set(key, now + ttlMs)
    },
    /** The origin just let this page be kept. */
    delete(key: string): void {
      until.delete(key)
    },
    get size(): number {
      return until.size
    },
  }
}

export type SkipList = ReturnType<typeof createSkipList>
