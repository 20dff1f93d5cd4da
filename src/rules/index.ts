// Conditions over the facts (GrowthBook's MongoDB-style syntax): compiled once, evaluated total.
export type { CompileEnv, CompiledCondition } from './types'
export { ALWAYS, compileCondition, compileSegments } from './compile'
export { readField } from './read'
