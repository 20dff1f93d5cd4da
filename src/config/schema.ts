// The config document's schema (format version 1): the single source of the Config type.
import * as v from 'valibot'

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
  v.strictObject({
    type: v.literal('set'),
    label: LabelSchema,
    options: OptionsSchema,
    /** Most options a visitor may pick. Default: all of them. */
    max: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  }),
  v.strictObject({ type: v.literal('choice'), label: LabelSchema, options: OptionsSchema }),
  v.strictObject({
    type: v.literal('text'),
    label: LabelSchema,
    /** Longest value accepted, in characters. Default 40. */
    maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(200)), 40),
  }),
  v.strictObject({ type: v.literal('boolean'), label: LabelSchema }),
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
  v.strictObject({ type: v.literal('html'), html: CONTENT }),
  /** Replace the slot's inner content with text (always escaped). */
  v.strictObject({ type: v.literal('text'), text: CONTENT }),
  /** Show the origin's own `<template data-tailor-variant="ID">` from inside the slot. */
  v.strictObject({ type: v.literal('template'), id: IdSchema }),
  /** Set or remove attributes and classes; the content stays. */
  v.strictObject({
    type: v.literal('attributes'),
    set: v.optional(v.record(ATTRIBUTE_NAME, v.pipe(v.string(), v.maxLength(2000)))),
    remove: v.optional(v.array(ATTRIBUTE_NAME)),
    addClass: v.optional(v.array(CLASS_NAME)),
    removeClass: v.optional(v.array(CLASS_NAME)),
  }),
  /** Remove the slot element and everything in it. */
  v.strictObject({ type: v.literal('remove') }),
  /** Keep the element but hide it (the `hidden` attribute). */
  v.strictObject({ type: v.literal('hide') }),
])

export const VariantSchema = v.strictObject({
  id: IdSchema,
  /** Words for the preview and the preference centre. */
  label: v.optional(LabelSchema),
  /** When this variant fits. Absent: always (an unconditional variant ends the list). */
  when: v.optional(ConditionSchema),
  action: ActionSchema,
})

export const SlotSchema = v.strictObject({
  /** The CSS selector of the block on the origin's pages (HTMLRewriter syntax). */
  selector: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
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
    '__Host-tailor'
  ),
  /** Lifetime in days, 400 at most (RFC 6265bis caps Max-Age at 400 days). Default 180. */
  maxAgeDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(400)), 180),
})

export const ConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  version: v.literal(1),
  /** The site's locales, most preferred first; the first is the default. */
  locales: v.pipe(v.array(LocaleSchema), v.minLength(1, 'Expected at least one locale.')),
  /** What visitors may choose. A preference named `language` overrides Accept-Language. */
  preferences: v.optional(v.record(IdSchema, PreferenceSchema), {}),
  /** Reusable named conditions, referenced with `{ "$segment": "name" }`. */
  segments: v.optional(v.record(IdSchema, ConditionSchema), {}),
  slots: v.record(IdSchema, SlotSchema),
  cookie: v.optional(CookieOptionsSchema, {}),
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
