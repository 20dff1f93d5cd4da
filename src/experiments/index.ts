// The bet (experiments and the holdout): assignment with no visitor ID, and what a page view counts.
export type {
  AssignInput,
  Assignment,
  Exclusions,
  HoldoutOutcome,
  Outcome,
  StoredBets,
  Unit,
} from './assign'
export { assign, betsOf, EXPOSED_BIT, goalBit, LEFT_BIT, OUTSIDE } from './assign'
export type { RandomSource } from './random'
export { cryptoRandom, drawIndex, seededRandom } from './random'
export { isBot, isPrefetch } from './request'
export { CELL_VALUES, cellCount, cellIndex, cellLabel, cellOf, contextByOf } from './cells'
export type { Counted, Increment } from './count'
export {
  convert,
  convertEvent,
  convertPage,
  countExposures,
  goalMetric,
  HOLDOUT_ID,
  leave,
  markExposures,
} from './count'
export { PING_PATH, PING_PURPOSE, PING_TTL_SECONDS, pingNonce, readPing, signPing } from './ping'
export { applyBets } from './decisions'
export { createPresence, presence } from './presence'
export { linkSelector, pingLinks } from './links'
export type { TestEntry, TestsView } from './view'
export { holdoutWords, PAGEVIEW_NOTICE, testsView } from './view'
export type { TestsConsentInput, TestsConsentState } from './consent'
export { testsConsentFor } from './consent'
