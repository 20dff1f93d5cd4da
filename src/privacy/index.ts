// Privacy policy, pure: consent tiers, GPC and DNT, and recording reading signals where allowed.
export type { ConsentState } from './consent'
export {
  consentFor,
  consentRequestOf,
  explicitConsentRequired,
  pausedDecisions,
  readConsent,
  signalFacts,
} from './consent'
export { recordPageView } from './record'
export { GPC_JSON_PATH, gpcJsonResponse } from './gpc'
