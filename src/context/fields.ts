// The catalogue of facts a condition may test: one entry per field, with its type and allowed values.

/** Coarse time of day in the visitor's own timezone. */
export const DAYPARTS = ['night', 'morning', 'afternoon', 'evening'] as const
export type Daypart = (typeof DAYPARTS)[number]

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const
export type Weekday = (typeof WEEKDAYS)[number]

export const DEVICES = ['mobile', 'tablet', 'desktop'] as const
export type Device = (typeof DEVICES)[number]

/** Where the visitor came from, never the raw URL. */
export const REFERRER_KINDS = ['search', 'social', 'email', 'internal', 'other', 'none'] as const
export type ReferrerKind = (typeof REFERRER_KINDS)[number]

export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const

/** A preference value as the visitor chose it (see config `preferences`). */
export type PreferenceValue = string | string[] | boolean

/**
 * Everything Tailor knows about one request, normalised. Every context field is optional:
 * absent means unknown (e.g. no `request.cf` under a plain test), never an error.
 */
export type Facts = {
  country?: string
  region?: string
  city?: string
  continent?: string
  eu?: boolean
  timezone?: string
  localHour?: number
  daypart?: Daypart
  weekday?: Weekday
  weekend?: boolean
  device?: Device
  language?: string
  referrer?: ReferrerKind
  utm: { source?: string; medium?: string; campaign?: string }
  path: string
  returning: boolean
  gpc: boolean
  prefs: Record<string, PreferenceValue | undefined>
  /**
   * Reading signals (consent tier 2): interest → score, decayed to now. `{}` without consent.
   * Optional in the type only so hand-built facts need not spell it; readContext always sets it.
   */
  signals?: Record<string, number>
}

export type FieldType = 'string' | 'number' | 'boolean'

/** What a field holds, so config validation can say "Expected ... Got ...". */
export type FieldSpec = {
  type: FieldType
  /** The only values the field can take, when the set is closed. */
  values?: readonly string[]
  /** A pattern each string value must match, with the words for it. */
  pattern?: { regex: RegExp; expected: string }
  /** Inclusive numeric range. */
  range?: readonly [number, number]
  /** Words for the field in a reason: "your country", "the time of day where you are". */
  noun: string
  /** For booleans: the sentence when true and when false ("you are in the EU"). */
  says?: { true: string; false: string }
  /** Display labels for values ("cycling" → "Cycling"), e.g. from a preference's options. */
  labels?: Readonly<Record<string, string>>
  /** True when the value is a list (a `set` preference): equality means "contains". */
  list?: boolean
}

/** ISO 3166-1 alpha-2 codes, plus Cloudflare's T1 (Tor) and XX (unknown). "UK" is not one: GB is. */
export const COUNTRY_CODE = new RegExp(
  `^(?:${
    'AD|AE|AF|AG|AI|AL|AM|AO|AQ|AR|AS|AT|AU|AW|AX|AZ|BA|BB|BD|BE|BF|BG|BH|BI|BJ|BL|BM|BN|BO|' +
    'BQ|BR|BS|BT|BV|BW|BY|BZ|CA|CC|CD|CF|CG|CH|CI|CK|CL|CM|CN|CO|CR|CU|CV|CW|CX|CY|CZ|DE|DJ|' +
    'DK|DM|DO|DZ|EC|EE|EG|EH|ER|ES|ET|FI|FJ|FK|FM|FO|FR|GA|GB|GD|GE|GF|GG|GH|GI|GL|GM|GN|GP|' +
    'GQ|GR|GS|GT|GU|GW|GY|HK|HM|HN|HR|HT|HU|ID|IE|IL|IM|IN|IO|IQ|IR|IS|IT|JE|JM|JO|JP|KE|KG|' +
    'KH|KI|KM|KN|KP|KR|KW|KY|KZ|LA|LB|LC|LI|LK|LR|LS|LT|LU|LV|LY|MA|MC|MD|ME|MF|MG|MH|MK|ML|' +
    'MM|MN|MO|MP|MQ|MR|MS|MT|MU|MV|MW|MX|MY|MZ|NA|NC|NE|NF|NG|NI|NL|NO|NP|NR|NU|NZ|OM|PA|PE|' +
    'PF|PG|PH|PK|PL|PM|PN|PR|PS|PT|PW|PY|QA|RE|RO|RS|RU|RW|SA|SB|SC|SD|SE|SG|SH|SI|SJ|SK|SL|' +
    'SM|SN|SO|SR|SS|ST|SV|SX|SY|SZ|TC|TD|TF|TG|TH|TJ|TK|TL|TM|TN|TO|TR|TT|TV|TW|TZ|UA|UG|UM|' +
    'US|UY|UZ|VA|VC|VE|VG|VI|VN|VU|WF|WS|YE|YT|ZA|ZM|ZW'
  }|T1|XX)$`
)

/**
 * Context fields, keyed by the dot path conditions use (`utm.source`).
 * Preference fields (`prefs.<name>`) come from the config's vocabulary, not from here.
 */
export const CONTEXT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  country: {
    type: 'string',
    pattern: { regex: COUNTRY_CODE, expected: 'an ISO 3166-1 alpha-2 country code' },
    noun: 'your country',
  },
  region: { type: 'string', noun: 'your region' },
  city: { type: 'string', noun: 'your city' },
  continent: { type: 'string', values: CONTINENTS, noun: 'your continent' },
  eu: {
    type: 'boolean',
    noun: 'being in the EU',
    says: { true: 'you are in the EU', false: 'you are outside the EU' },
  },
  timezone: { type: 'string', noun: 'your timezone' },
  localHour: { type: 'number', range: [0, 23], noun: 'the hour where you are' },
  daypart: { type: 'string', values: DAYPARTS, noun: 'the time of day where you are' },
  weekday: { type: 'string', values: WEEKDAYS, noun: 'the day of the week where you are' },
  weekend: {
    type: 'boolean',
    noun: 'the weekend',
    says: { true: 'it is the weekend where you are', false: 'it is a weekday where you are' },
  },
  device: { type: 'string', values: DEVICES, noun: 'your device' },
  language: {
    type: 'string',
    pattern: { regex: /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, expected: 'a language tag' },
    noun: 'your language',
  },
  referrer: { type: 'string', values: REFERRER_KINDS, noun: 'where you came from' },
  'utm.source': { type: 'string', noun: 'the campaign source' },
  'utm.medium': { type: 'string', noun: 'the campaign medium' },
  'utm.campaign': { type: 'string', noun: 'the campaign' },
  path: { type: 'string', noun: 'the page address' },
  returning: {
    type: 'boolean',
    noun: 'returning',
    says: { true: 'you have been here before', false: 'this is your first visit' },
  },
  gpc: {
    type: 'boolean',
    noun: 'Global Privacy Control',
    says: {
      true: 'your browser sends Global Privacy Control',
      false: 'your browser does not send Global Privacy Control',
    },
  },
}
