// The config document's schema (format version 1): the single source of the Config type.
import * as v from 'valibot'
import { COUNTRY_CODE } from '../context'
import { VISITOR_COOKIE_NAME } from '../visitor'
import { contrastOf, isLogoUrl, parseColour } from './brand'
import { ExperimentsSchema, HoldoutSchema, ReportSchema } from './experiments'

// The experiments' schemas, by name, for the generated docs (scripts/emit-docs.ts).
export {
  ArmSchema,
  BanditSchema,
  CountSchema,
  ExperimentSchema,
  ExperimentsSchema,
  GoalSchema,
  HoldoutSchema,
  ReportSchema,
} from './experiments'

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/
const ID_EXPECTED = 'an id: a letter, then letters, digits, "-" or "_" (40 at most)'

/** A name for a slot, variant, segment, preference or option. */
export const IdSchema = v.pipe(v.string(), v.regex(ID_PATTERN, `Expected ${ID_EXPECTED}.`))

/** A BCP 47 language tag as sites use them: "en", "fr", "pt-BR". */
export const LocaleSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'Expected a language tag such as "en" or "pt-BR".')
)

const LabelSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(120))

/** Options a visitor may pick from: id → label shown in the preference centre. */
const OptionsSchema = v.pipe(
  v.record(IdSchema, LabelSchema),
  v.check((o) => Object.keys(o).length > 0, 'Expected at least one option.'),
  v.check((o) => Object.keys(o).length <= 50, 'Expected at most 50 options.')
)

/** One entry of the preference vocabulary: what a visitor may choose. */
export const PreferenceSchema = v.variant('type', [
  /** Any number of options (interests, say). */
  v.strictObject({
    type: v.literal('set'),
    /** The question, as the preference centre asks it. */
    label: LabelSchema,
    /** The options: id → label. */
    options: OptionsSchema,
    /** Most options a visitor may pick. Default: all of them. */
    max: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  }),
  /** One option of several. */
  v.strictObject({
    type: v.literal('choice'),
    /** The question, as the preference centre asks it. */
    label: LabelSchema,
    /** The options: id → label. */
    options: OptionsSchema,
  }),
  /** A short text, such as a display name. */
  v.strictObject({
    type: v.literal('text'),
    /** The question, as the preference centre asks it. */
    label: LabelSchema,
    /** Longest value accepted, in characters. Default 40. */
    maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 40),
  }),
  /** Yes or no. */
  v.strictObject({
    type: v.literal('boolean'),
    /** The question, as the preference centre asks it. */
    label: LabelSchema,
  }),
])

/** A condition in MongoDB-style syntax; its inside is checked by the rules compiler. */
export const ConditionSchema = v.record(v.string(), v.unknown())

const ATTRIBUTE_NAME = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z_:][-A-Za-z0-9_:.]{0,63}$/, 'Expected an HTML attribute name.')
)
const CLASS_NAME = v.pipe(
  v.string(),
  v.regex(/^[^\s"'<>&]{1,64}$/, 'Expected one class name, without spaces.')
)
const CONTENT = v.pipe(v.string(), v.maxLength(20_000))

/** What to do to a slot. `html` is trusted markup from this file; `{{field}}` values are escaped. */
export const ActionSchema = v.variant('type', [
  /** Replace the slot's inner HTML. */
  v.strictObject({
    type: v.literal('html'),
    /** The markup, 20,000 characters at most. */
    html: CONTENT,
  }),
  /** Replace the slot's inner content with text (always escaped). */
  v.strictObject({
    type: v.literal('text'),
    /** The text, 20,000 characters at most. */
    text: CONTENT,
  }),
  /** Show the origin's own `<template data-tailor-variant="ID">` from inside the slot. */
  v.strictObject({
    type: v.literal('template'),
    /** The `data-tailor-variant` value of the `<template>` to show. */
    id: IdSchema,
  }),
  /** Set or remove attributes and classes; the content stays. */
  v.strictObject({
    type: v.literal('attributes'),
    /**
     * Attributes to set: name → value. `ping` (a list of URLs) is added to, not replaced; remove
     * it too to replace it.
     */
    set: v.optional(v.record(ATTRIBUTE_NAME, v.pipe(v.string(), v.maxLength(2000)))),
    /** Attributes to remove. */
    remove: v.optional(v.array(ATTRIBUTE_NAME)),
    /** Classes to add. */
    addClass: v.optional(v.array(CLASS_NAME)),
    /** Classes to remove. */
    removeClass: v.optional(v.array(CLASS_NAME)),
  }),
  /** Remove the slot element and everything in it. */
  v.strictObject({ type: v.literal('remove') }),
  /** Keep the element but hide it (the `hidden` attribute). */
  v.strictObject({ type: v.literal('hide') }),
  /**
   * A small link to the preference centre's "why this page looks as it does" for this page. Shown
   * only when some other block on the page was personalised.
   */
  v.strictObject({
    type: v.literal('why'),
    /** The link's words. */
    text: v.optional(
      v.pipe(v.string(), v.minLength(1), v.maxLength(120)),
      'Personalised for you · why?'
    ),
  }),
])

export const VariantSchema = v.strictObject({
  /** The variant's name, shown by `Tailor-Explain` and used by preview links. */
  id: IdSchema,
  /** Words for the preview and the preference centre. */
  label: v.optional(LabelSchema),
  /** When this variant fits. Absent: always (an unconditional variant ends the list). */
  when: v.optional(ConditionSchema),
  /** What to do to the block when this variant wins. */
  action: ActionSchema,
})

export const SlotSchema = v.strictObject({
  /** A note for people who edit this file (JSON has no comments); Tailor ignores it. */
  $comment: v.optional(v.string()),
  /** The CSS selector of the block on the origin's pages (HTMLRewriter syntax). */
  selector: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  /** Words for the block in the preference centre's "why" list. Default: the slot's id. */
  label: v.optional(LabelSchema),
  /** Only on paths that start with one of these. Default: every page. */
  paths: v.optional(
    v.array(v.pipe(v.string(), v.startsWith('/', 'Expected a path starting with "/".')))
  ),
  /** Tried in order; the first whose condition holds wins. None: the origin's own content. */
  variants: v.pipe(v.array(VariantSchema), v.maxLength(50, 'Expected at most 50 variants.')),
})

export const CookieOptionsSchema = v.strictObject({
  /** Default "__Host-tailor" (RFC 6265bis: Secure, Path=/, no Domain). */
  name: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'Expected a cookie name (RFC 6265 token).')
    ),
    VISITOR_COOKIE_NAME
  ),
  /** Lifetime in days, 400 at most (RFC 6265bis caps Max-Age at 400 days). Default 180. */
  maxAgeDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(400)), 180),
})

/** A hostname as in the request URL: "shop.example.com", "localhost". */
const HostnameSchema = v.pipe(
  v.string(),
  v.regex(
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'Expected a lower-case hostname such as "shop.example.com".'
  )
)

/** One site of several behind the same worker: its own slots (and optionally segments, origin). */
export const HostSchema = v.strictObject({
  /** The origin for this host, overriding the ORIGIN var: "https://…", or "self". */
  origin: v.optional(
    v.pipe(v.string(), v.regex(/^(?:https?:\/\/\S+|self)$/, 'Expected an http(s) URL or "self".'))
  ),
  /** Segments added to (or replacing, by name) the top-level ones for this host. */
  segments: v.optional(v.record(IdSchema, v.record(v.string(), v.unknown())), {}),
  /** This host's slots; they replace the top-level slots. */
  slots: v.record(IdSchema, SlotSchema),
})

/** The edge cache in front of the origin: one un-personalised copy of a page per URL. */
export const CacheOptionsSchema = v.strictObject({
  /** Keep pages the origin marks cacheable (Cache-Control) in the edge cache. Default true. */
  enabled: v.optional(v.boolean(), true),
  /** Longest a page is kept, in seconds (a year at most). Default: what the origin says. */
  maxAgeSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(31_536_000))),
})

// --- Visitor control: consent for implicit signals, the signals themselves, the centre's brand ---

const GPC_DATE_EXPECTED = 'Expected a date written YYYY-MM-DD, such as "2026-11-01".'

/**
 * Whether a YYYY-MM-DD string names a real day (2026-02-30 does not). A string of another shape
 * passes here: `v.isoDate` has already reported it, and one message per field is enough.
 */
function isFullDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return true
  }
  const day = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value
}

/** Consent for implicit signals (tier 2) and the privacy signals Tailor honours. */
export const ConsentSchema = v.strictObject({
  /**
   * "opt-in" (default): signals are recorded only after the visitor agrees in the preference
   * centre. "opt-out": a visitor who already has a cookie (they saved something) is recorded until
   * they say no — never in the EU, in `explicitIn` countries or where the country is unknown.
   */
  signals: v.optional(v.picklist(['opt-in', 'opt-out']), 'opt-in'),
  /**
   * Consent to tests ("include me in tests": sticky experiment assignments in the cookie), with
   * the same modes and region rules as `signals`. Absent: "opt-in".
   */
  tests: v.optional(v.picklist(['opt-in', 'opt-out'])),
  /** Countries where consent must always be explicit, besides the EU (cf.isEUCountry). */
  explicitIn: v.optional(
    v.array(
      v.pipe(
        v.string(),
        v.regex(COUNTRY_CODE, 'Expected an ISO 3166-1 alpha-2 country code such as "CH".')
      )
    ),
    []
  ),
  /** Treat `DNT: 1` like `Sec-GPC: 1`: no signals recorded. Default true. */
  honourDnt: v.optional(v.boolean(), true),
  /** Serve /.well-known/gpc.json saying the site honours GPC. Default true. */
  gpcJson: v.optional(v.boolean(), true),
  /**
   * The day the site's GPC policy last changed, "YYYY-MM-DD": served as gpc.json's `lastUpdate`
   * (W3C GPC §3.2, an RFC 3339 full-date). Absent: gpc.json has no `lastUpdate`.
   * @example "2026-11-01"
   */
  gpcLastUpdate: v.optional(
    v.pipe(
      v.string(),
      // isoDate gives editors `"format": "date"` in tailor.schema.json; the check refuses 02-30.
      v.isoDate(GPC_DATE_EXPECTED),
      v.check(isFullDate, GPC_DATE_EXPECTED)
    )
  ),
})

/** One page-to-interest rule: reading a page under `path` adds `score` to `interest`. */
export const SignalRuleSchema = v.strictObject({
  /** A path prefix such as "/cycling/"; a `*` stands for one path segment ("/shop/" + "*" + "/bikes"). */
  path: v.pipe(
    v.string(),
    v.maxLength(200),
    v.regex(/^\/[^\s?#\\]*$/, 'Expected a path pattern starting with "/", such as "/cycling/".')
  ),
  /** The interest this page counts towards. */
  interest: IdSchema,
  /** Added on each page view. Default 1. */
  score: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(10)), 1),
})

/** Implicit interest signals, kept in the visitor's cookie only with their consent. */
export const SignalsSchema = v.strictObject({
  /** Which pages count towards which interest. */
  rules: v.optional(v.pipe(v.array(SignalRuleSchema), v.maxLength(200)), []),
  /** Words for interests the preferences do not label: id → label. */
  labels: v.optional(v.record(IdSchema, LabelSchema), {}),
  /** Days after which a score has halved. Default 7. */
  halfLifeDays: v.optional(v.pipe(v.number(), v.minValue(0.5), v.maxValue(365)), 7),
  /** Most interests kept in the cookie; the weakest go first. Default 8, at most 16. */
  max: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16)), 8),
  /** Highest score an interest can reach. Default 20. */
  cap: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(100)), 20),
})

const ColourSchema = v.pipe(
  v.string(),
  v.check(
    (c) => parseColour(c) !== undefined,
    'Expected a colour written "#rrggbb", "#rgb" or "rgb(r, g, b)".'
  )
)

/** How the preference centre looks on this site. */
export const BrandSchema = v.pipe(
  v.strictObject({
    /** The site's name, in the centre's title. Default: "this site". */
    name: v.optional(LabelSchema),
    /** A path on this site ("/img/logo.svg") or an https:// URL. */
    logo: v.optional(
      v.pipe(
        v.string(),
        v.check(isLogoUrl, 'Expected a path on this site ("/img/logo.svg") or an https:// URL.')
      )
    ),
    /** Buttons, links and focus rings. Default "#2557a7". */
    accent: v.optional(ColourSchema, '#2557a7'),
    /** Page background. Default "#ffffff". */
    background: v.optional(ColourSchema, '#ffffff'),
    /** Body text. Default "#1f2328". */
    text: v.optional(ColourSchema, '#1f2328'),
  }),
  v.check(
    (b) => contrastOf(b.text, b.background) >= 4.5,
    (issue) => {
      const b = issue.input as { text: string; background: string }
      const ratio = contrastOf(b.text, b.background).toFixed(2)
      return `Expected text and background colours with a contrast of at least 4.5:1 (WCAG 2.2, 1.4.3). Got ${ratio}:1.`
    }
  )
)

export const ConfigSchema = v.strictObject({
  /** "./tailor.schema.json", for editor autocompletion. */
  $schema: v.optional(v.string()),
  /** The format version: 1. */
  version: v.literal(1),
  /**
   * Written for the embedded demo site only. With ORIGIN (or a host's origin) set, Tailor passes
   * every page through untouched, logs why once and warns at /_tailor/health. Default false.
   */
  demo: v.optional(v.boolean(), false),
  /** The site's locales, most preferred first; the first is the default. */
  locales: v.pipe(v.array(LocaleSchema), v.minLength(1, 'Expected at least one locale.')),
  /** What visitors may choose. A preference named `language` overrides Accept-Language. */
  preferences: v.optional(v.record(IdSchema, PreferenceSchema), {}),
  /** Reusable named conditions, referenced with `{ "$segment": "name" }`. */
  segments: v.optional(v.record(IdSchema, ConditionSchema), {}),
  /** The marked blocks of the site's pages, and their variants. */
  slots: v.record(IdSchema, SlotSchema),
  /** The visitor cookie. */
  cookie: v.optional(CookieOptionsSchema, {}),
  /** The edge cache in front of the origin. */
  cache: v.optional(CacheOptionsSchema, {}),
  /** Several sites behind one worker: per-hostname slots. Other hosts use the top-level slots. */
  hosts: v.optional(v.record(HostnameSchema, HostSchema), {}),
  /** Consent for implicit signals, GPC and DNT. */
  consent: v.optional(ConsentSchema, {}),
  /** Page-to-interest rules for implicit signals (recorded only with consent). */
  signals: v.optional(SignalsSchema, {}),
  /** The preference centre's name, logo and colours. */
  brand: v.optional(BrandSchema, {}),
  /** The bet: experiments on slots (src/config/experiments.ts). None: nothing is tested. */
  experiments: v.optional(ExperimentsSchema, []),
  /** A global holdout that sees no personalisation at all. Absent: none. */
  holdout: v.optional(HoldoutSchema),
  /** The experiments report (src/report): small-count privacy. */
  report: v.optional(ReportSchema, {}),
})

/** The config document as written (before defaults). */
export type ConfigInput = v.InferInput<typeof ConfigSchema>
/** The config with every default applied. */
export type Config = v.InferOutput<typeof ConfigSchema>
export type Preference = Config['preferences'][string]
export type Slot = Config['slots'][string]
export type Variant = Slot['variants'][number]
export type Action = Variant['action']
export type Condition = v.InferOutput<typeof ConditionSchema>
export type Host = Config['hosts'][string]
export type ConsentOptions = Config['consent']
export type SignalOptions = Config['signals']
export type Brand = Config['brand']
