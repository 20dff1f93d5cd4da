// The edge cache in front of the origin: policy (what may be stored, for how long) and its use.
export type { CacheOptions, StoreDecision } from './policy'
export {
  bypassReason,
  cacheKey,
  cacheKeyUrl,
  parseCacheControl,
  storedHeaders,
  storeDecision,
} from './policy'
export type { EdgeCache } from './edge'
export { createEdgeCache, defaultCache, HIT_TIMING, keep, lookup } from './edge'
export type { SkipList } from './skip'
export { createSkipList, SKIP_MAX, SKIP_TTL_MS } from './skip'
export { readCacheOptions } from './options'
