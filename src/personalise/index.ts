// The hot path of a page, one door: the per-isolate runtime, the read step and the respond step.
export type { TailorOptions, Runtime } from './runtime'
export { createRuntime, readInputFor, tailorCookieNames } from './runtime'
export { read } from './read'
export { editsFor, respond } from './respond'
export type { LiveSite, TailorState } from './state'
