// The visitor's side of Tailor, as UI: the preference centre's page, its words, and the actions it
// (and the JSON API) performs. Policy (consent, recording, GPC) lives in src/privacy.
export type { ActionResult, CentreAction } from './actions'
export { applyAction } from './actions'
export type { WhyView } from './why'
export { referrerKindOf, whyRequest, whyView } from './why'
export type { Flash } from './form'
export {
  afterAction,
  CENTRE_PATH,
  flashOf,
  pageToExplain,
  preferencesFromForm,
  returnTo,
} from './form'
export type { CentreInput } from './view'
export { centreView } from './view'
export { CentrePage } from './page'
export { centreStyles } from './styles'
