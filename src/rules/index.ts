// Conditions over the facts (GrowthBook's MongoDB-style syntax): compiled once, evaluated total.
export type { CompileEnv, CompiledCondition } from './types'
export { ALWAYS, compileCondition } from './compile'
export { compileSegments } from './segments'
export { readField } from './read'
