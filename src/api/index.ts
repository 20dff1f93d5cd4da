// Tailor's own routes under /_tailor.
export { createRoutes } from './routes'
