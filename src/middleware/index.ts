// Hono-aware pieces: the personalising middleware and the origin handler.
export { TAILOR_PREFIX, tailor } from './tailor'
export { origin } from './origin'
