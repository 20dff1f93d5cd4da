// The request's own context (geo, clock, device, language, referrer, campaign), as plain Facts.
export type {
  Daypart,
  Device,
  Facts,
  FieldSpec,
  FieldType,
  PreferenceValue,
  ReferrerKind,
  Weekday,
} from './fields'
export {
  CONTEXT_FIELDS,
  CONTINENTS,
  COUNTRY_CODE,
  DAYPARTS,
  DEVICES,
  REFERRER_KINDS,
  WEEKDAYS,
} from './fields'
export type { CfGeo } from './cf'
export { readCf, sameVisitorRequest } from './cf'
export type { ContextInput, ContextOptions } from './read'
export { readContext, readDnt, readGpc } from './read'
export { negotiateLanguage } from './language'
export { detectDevice } from './device'
export { classifyReferrer } from './referrer'
export { daypartOf, localTime } from './time'
export { safeLocalPath } from './local-path'
