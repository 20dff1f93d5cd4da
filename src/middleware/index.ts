// Hono-aware pieces: the personalising middleware and the origin handler.
export type { OwnRoutes } from './pages'
export { personalisePages, TAILOR_PREFIX } from './pages'
export { tailor } from './tailor'
export { origin } from './origin'
