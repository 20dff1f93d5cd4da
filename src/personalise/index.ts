// The hot path of a page, one door: the per-isolate runtime, the read step and the respond step.
export type { TailorOptions, Runtime } from './runtime'
export { createRuntime, isDevMode, readInputFor, tailorCookieNames } from './runtime'
export type { ReadInput } from './read'
export { read } from './read'
export { respond } from './respond'
export type { ActivePreview, LiveSite, Overrides, TailorState } from './state'
