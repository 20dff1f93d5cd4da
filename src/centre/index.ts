// The visitor's side of Tailor: consent tiers, signal recording, the preference centre's page and
// the actions it (and the JSON API) performs.
export type { ConsentAnswer, ConsentInput, ConsentState, PrivacySignal } from './consent'
export { consentFor, pausedDecisions, readConsent, signalFacts } from './consent'
export type { ActionResult, CentreAction } from './actions'
export { applyAction, siteOf } from './actions'
export { recordPageView } from './record'
export type { WhyRow, WhyView } from './why'
export { explainPage, referrerKindOf } from './why'
export type { Flash } from './form'
export {
  afterAction,
  CENTRE_PATH,
  flashOf,
  FLASHES,
  pageToExplain,
  preferencesFromForm,
  returnTo,
  safeLocalPath,
} from './form'
export type { CentreInput } from './view'
export { centreView } from './view'
export type { CentreProps } from './page'
export { CentrePage } from './page'
export { centreStyles } from './styles'
export { GPC_JSON_PATH, gpcJsonResponse } from './gpc'
