// Tailor's own routes under /_tailor.
export { createRoutes } from './routes'
export { crossSiteReason, missingSourceReason, sameOrigin } from './same-origin'
