// The site's config: schema, validation with pointed messages, compilation.
export type { Action, Condition, Config, ConfigInput, Preference, Slot, Variant } from './schema'
export { CacheOptionsSchema, ConfigSchema } from './schema'
export type { ConfigIssue } from './issues'
export { ConfigError, formatIssues, joinPath } from './issues'
export type { CompiledAction, CompiledConfig, CompiledSlot, CompiledVariant } from './compile'
export { compileConfig, configRevision, preferenceFields, siteFor } from './compile'
export type { Preferences, Vocabulary } from './preferences'
export { sanitizePreferences, validatePreferences } from './preferences'
export type { Template, TemplatePart } from './template'
export { escapeHtml, factToText, parseTemplate, renderTemplate } from './template'
export type { ConfigSource, LiveConfig } from './source'
export { CONFIG_KEY, CONFIG_TTL_MS, createConfigSource } from './source'
export type { Brand, ConsentOptions, SignalOptions } from './schema'
export { contrastOf, isLogoUrl, parseColour, textOn } from './brand'
export type { CompiledSignalRule } from './signals'
export { interestLabel, signalInterests, signalRules, signalsForPath } from './signals'
export type {
  ArmShow,
  CompiledArm,
  CompiledExperiment,
  CompiledGoal,
  CompiledHoldout,
  ExperimentWarning,
} from './experiments-compile'
export { lintExperiments, weightBounds } from './experiments-compile'
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
