// The page path and the origin proxy: as plain functions (the page worker) and as Hono pieces.
export type { OriginAsk, OwnRoutes, PageRequest } from './pages'
export { pagePath, personalisePages, TAILOR_PREFIX } from './pages'
export { tailor } from './tailor'
export { origin, originProxy } from './origin'
export { waitUntilIn } from './execution'
