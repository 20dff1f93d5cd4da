// Tailor's own routes under /_tailor.
export { createRoutes } from './routes'
export { crossSiteReason, sameOrigin } from './same-origin'
