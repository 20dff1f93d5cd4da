// The site's config: schema, validation with pointed messages, compilation.
export type {
  Action,
  Condition,
  Config,
  ConfigInput,
  Preference,
  Slot,
  Variant,
} from './schema'
export { ConfigSchema } from './schema'
export type { ConfigIssue } from './issues'
export { ConfigError, formatIssues, joinPath } from './issues'
export type { CompiledAction, CompiledConfig, CompiledSlot, CompiledVariant } from './compile'
export { compileConfig, preferenceFields } from './compile'
export type { Preferences, Vocabulary } from './preferences'
export { sanitizePreferences, validatePreferences } from './preferences'
export type { Template, TemplatePart } from './template'
export { escapeHtml, factToText, parseTemplate, renderTemplate } from './template'
