// The site's config: schema, validation with pointed messages, compilation.
export type { Config, ConfigInput, Preference, Slot } from './schema'
export { CacheOptionsSchema, ConfigSchema } from './schema'
export type { ConfigIssue } from './issues'
export { ConfigError, formatIssues, joinPath } from './issues'
export type { CompiledConfig, CompiledSlot, CompiledVariant } from './compile'
export { compileConfig, configForHost, configRevision } from './compile'
export type { Preferences, Vocabulary } from './preferences'
export { sanitizePreferences, validatePreferences } from './preferences'
export { escapeHtml, factToText, renderTemplate } from './template'
export type { LiveConfig } from './source'
export { CONFIG_KEY, createConfigSource } from './source'
export type { Brand, ConsentOptions } from './schema'
export { contrastOf, textOn } from './brand'
export { interestLabel, signalInterests, signalsForPath } from './signals'
export type {
  ArmShow,
  CompiledArm,
  CompiledExperiment,
  CompiledGoal,
  CompiledHoldout,
} from './experiments-compile'
export { lintExperiments, weightBounds } from './experiments-compile'
export { clickGoalOf, hasLink, pageShownBy } from './experiments-links'
export { DEMO_CONFIG_WARNING, demoMismatch } from './demo'
export type {
  ArmConfig,
  BanditConfig,
  ExperimentConfig,
  GoalConfig,
  HoldoutConfig,
  ReportConfig,
} from './experiments'
export {
  CONTEXT_FIELDS,
  MAX_ARMS,
  MAX_BANDIT_CELLS,
  MAX_EXPERIMENTS,
  MAX_GOALS,
} from './experiments'
