// The request's own context (geo, clock, device, language, referrer, campaign), as plain Facts.
export type { Device, Facts, FieldSpec, PreferenceValue, ReferrerKind } from './fields'
export { CONTEXT_FIELDS, COUNTRY_CODE, REFERRER_KINDS } from './fields'
export type { CfGeo } from './cf'
export { readCf, sameVisitorRequest } from './cf'
export { readContext, readDnt, readGpc } from './read'
export { classifyReferrer } from './referrer'
export { daypartOf } from './time'
export { safeLocalPath } from './local-path'
