// Privacy policy, pure: consent tiers, GPC and DNT, and recording reading signals where allowed.
export type { ConsentAnswer, ConsentState } from './consent'
export { consentFor, consentRequestOf, pausedDecisions, readConsent, signalFacts } from './consent'
export type { PageView } from './record'
export { recordPageView } from './record'
export { GPC_JSON_PATH, gpcJsonResponse } from './gpc'
