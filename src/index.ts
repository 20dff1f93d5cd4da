// Tailor as a library: `app.use(tailor({ config }))` in your own Hono app.
export { createApp } from './app'
export { origin, TAILOR_PREFIX, tailor } from './middleware'
export type { TailorOptions, TailorState } from './personalise'
export type { TailorBindings, TailorEnv, TailorVariables } from './env'
export type { CompiledConfig, Config, ConfigInput, ConfigIssue } from './config'
export { compileConfig, ConfigError, ConfigSchema, formatIssues } from './config'
export type { Facts } from './context'
export type { Decision } from './decide'
// The experiments' store: a host app exports it from its entry and binds it as TAILOR_EXPERIMENTS.
export { ExperimentStore } from './measure'
