// Turn a config document into what requests use: validated once, conditions and content compiled.
import * as v from 'valibot'
import type { FieldSpec } from '../context'
import { CONTEXT_FIELDS } from '../context'
import type { CompileEnv, CompiledCondition } from '../rules'
import { ALWAYS, compileCondition, compileSegments } from '../rules'
import type { CompiledExperiment, CompiledHoldout } from './experiments-compile'
import { checkExperimentSlots, compileExperiments, compileHoldout } from './experiments-compile'
import type { ConfigIssue } from './issues'
import { joinPath } from './issues'
import type { Action, Config, Preference } from './schema'
import { ConfigSchema } from './schema'
import { labelledContextFields, signalFields } from './signals'
import type { Template } from './template'
import { parseTemplate } from './template'

/** An action with its content parsed into templates. */
export type CompiledAction =
  | { type: 'html'; html: Template }
  | { type: 'text'; text: Template }
  | { type: 'template'; id: string }
  | {
      type: 'attributes'
      set: readonly (readonly [string, Template])[]
      remove: readonly string[]
      addClass: readonly string[]
      removeClass: readonly string[]
    }
  | { type: 'remove' }
  | { type: 'hide' }
  | { type: 'why'; text: string }

export type CompiledVariant = {
  id: string
  label: string
  /** True when the variant has no `when`: it always applies. */
  always: boolean
  condition: CompiledCondition
  action: CompiledAction
}

export type CompiledSlot = {
  id: string
  label: string
  selector: string
  paths: readonly string[] | undefined
  variants: readonly CompiledVariant[]
}

/** The config, ready for requests. Built once per isolate (per config version). */
export type CompiledConfig = {
  config: Config
  slots: readonly CompiledSlot[]
  /** The spec of any field a condition or template may name (context fields and `prefs.*`). */
  field(path: string): FieldSpec | undefined
  fieldNames(): string[]
  /** The origin for this site (a `hosts` entry's `origin`), overriding the ORIGIN var. */
  origin: string | undefined
  /** A fingerprint of the document, shown by /_tailor/health. */
  revision: string
  /** Per-hostname sites (empty on a host's own entry). */
  hosts: ReadonlyMap<string, CompiledConfig>
  /** The experiments on this site's slots (src/config/experiments-compile.ts). */
  experiments: readonly CompiledExperiment[]
  /** The global holdout, or undefined when there is none. */
  holdout: CompiledHoldout | undefined
  /**
   * The fields this site's segments, conditions and templates name, recorded while they compiled:
   * the page path reads only these (see `readContext`'s `fields`). Absent: read every field.
   */
  fields?: ReadonlySet<string>
}

// Attributes where an interpolated value could run script or load a resource (WHATWG HTML:
// event handlers, URL attributes, inline style). Config text may set them; a visitor's value may not.
const UNSAFE_INTERPOLATION_ATTRIBUTE =
  /^(?:on|style$|srcdoc$|href$|src$|srcset$|action$|formaction$|poster$|data$|xlink:href$)/i

/** Field specs for the preference vocabulary: `prefs.interests` and so on. */
export function preferenceFields(preferences: Config['preferences']): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {}
  for (const [name, pref] of Object.entries(preferences)) {
    out[`prefs.${name}`] = preferenceField(name, pref)
  }
  return out
}

function preferenceField(name: string, pref: Preference): FieldSpec {
  const noun = name === 'language' ? 'your language' : `your ${pref.label.toLowerCase()}`
  switch (pref.type) {
    case 'set':
      return {
        type: 'string',
        list: true,
        values: Object.keys(pref.options),
        labels: pref.options,
        noun,
      }
    case 'choice':
      return { type: 'string', values: Object.keys(pref.options), labels: pref.options, noun }
    case 'text':
      return { type: 'string', noun }
    case 'boolean':
      return {
        type: 'boolean',
        noun,
        says: { true: `you chose ${pref.label}`, false: `you did not choose ${pref.label}` },
      }
  }
}

function describeValue(value: unknown): string {
  const json = JSON.stringify(value)
  return json === undefined ? String(value) : json
}

const LIMITS: Record<string, string> = {
  min_length: 'a length of at least',
  max_length: 'a length of at most',
  min_value: 'at least',
  max_value: 'at most',
}

/** Turn valibot's issues into "where: Expected X. Got Y." */
function schemaIssues(issues: readonly v.BaseIssue<unknown>[]): ConfigIssue[] {
  return issues.map((issue) => {
    const keys = (issue.path ?? []).map((p) => p.key as string | number)
    const path = joinPath(keys)
    const got = issue.input === undefined ? 'nothing' : describeValue(issue.input)
    let message: string
    if (issue.kind === 'schema' && issue.expected === 'never' && issue.type === 'strict_object') {
      message = `Unknown field ${describeValue(keys.at(-1))}. Check its spelling against tailor.schema.json.`
    } else if (issue.kind === 'schema' && issue.input === undefined && keys.length) {
      message = 'Expected a value. Got nothing (the field is required).'
    } else if (issue.kind === 'schema') {
      // valibot spells unions "(\"a\" | \"b\")" and objects "Object"; say it in words.
      const expected = (issue.expected ?? '')
        .replace(/^\((.*)\)$/, '$1')
        .replace(/ \| /g, ', ')
        .replace(/^Object$/, 'a JSON object')
      message = `Expected ${expected}. Got ${issue.input === undefined ? 'nothing' : got}.`
    } else if (!issue.message.startsWith('Invalid ')) {
      // A message the schema spells out itself ("Expected at least one locale.").
      message = /Got /.test(issue.message)
        ? issue.message
        : `${issue.message.replace(/\.$/, '')}. Got ${got}.`
    } else if (LIMITS[issue.type] && issue.requirement !== undefined) {
      message = `Expected ${LIMITS[issue.type]} ${String(issue.requirement)}. Got ${got}.`
    } else {
      message = /Got /.test(issue.message)
        ? issue.message
        : `${issue.message.replace(/\.$/, '')}. Got ${got}.`
    }
    return { path, message }
  })
}

/** Check a selector the way HTMLRewriter will, when the runtime has it (not under plain Node). */
function selectorIssue(selector: string): string | undefined {
  if (typeof HTMLRewriter === 'undefined') {
    return undefined
  }
  try {
    new HTMLRewriter().on(selector, {})
    return undefined
  } catch (err) {
    return `Expected a CSS selector HTMLRewriter supports. Got ${JSON.stringify(selector)} (${(err as Error).message}).`
  }
}

function compileTemplate(
  source: string,
  env: CompileEnv,
  path: (string | number)[],
  issues: ConfigIssue[]
): Template {
  const template = parseTemplate(source)
  for (const part of template.parts) {
    if (typeof part !== 'string' && !env.field(part.field)) {
      issues.push({
        path: joinPath(path),
        message: `Unknown field "${part.field}" in {{${part.field}}}. Expected one of: ${env.fieldNames().join(', ')}.`,
      })
    }
  }
  return template
}

function compileAction(
  action: Action,
  env: CompileEnv,
  path: (string | number)[],
  issues: ConfigIssue[]
): CompiledAction {
  switch (action.type) {
    case 'html':
      return { type: 'html', html: compileTemplate(action.html, env, [...path, 'html'], issues) }
    case 'text':
      return { type: 'text', text: compileTemplate(action.text, env, [...path, 'text'], issues) }
    case 'attributes': {
      const set = Object.entries(action.set ?? {}).map(([name, value]) => {
        const at = [...path, 'set', name]
        const template = compileTemplate(value, env, at, issues)
        if (template.dynamic && UNSAFE_INTERPOLATION_ATTRIBUTE.test(name)) {
          issues.push({
            path: joinPath(at),
            message: `Expected no {{…}} in "${name}": a visitor's value must not reach an event handler, style or URL attribute.`,
          })
        }
        return [name, template] as const
      })
      return {
        type: 'attributes',
        set,
        remove: action.remove ?? [],
        addClass: action.addClass ?? [],
        removeClass: action.removeClass ?? [],
      }
    }
    case 'why':
      // The "why" link carries the page's UTM fields and referrer kind (rewrite's whyLink):
      // named here so the page path reads them.
      for (const field of WHY_LINK_FIELDS) {
        env.field(field)
      }
      return action
    default:
      return action
  }
}

/** The facts a `why` action's link is built from (see `whyLink` in src/rewrite). */
const WHY_LINK_FIELDS = ['utm.source', 'utm.medium', 'utm.campaign', 'referrer'] as const

/** A short, stable fingerprint of a config document (FNV-1a over its JSON), e.g. "3f2a9c1e". */
export function configRevision(input: unknown): string {
  const text = JSON.stringify(input) ?? ''
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, '0')
}

type Env = CompileEnv

function compileSlots(
  slotsIn: Config['slots'],
  env: Env,
  prefix: (string | number)[],
  issues: ConfigIssue[]
): CompiledSlot[] {
  const slots: CompiledSlot[] = []
  for (const [id, slot] of Object.entries(slotsIn)) {
    const bad = selectorIssue(slot.selector)
    if (bad) {
      issues.push({ path: joinPath([...prefix, id, 'selector']), message: bad })
    }
    const seen = new Set<string>()
    const variants = slot.variants.map((variant, i): CompiledVariant => {
      const at = [...prefix, id, 'variants', i]
      if (seen.has(variant.id)) {
        issues.push({
          path: joinPath([...at, 'id']),
          message: `Expected a variant id unique in this slot. Got "${variant.id}" twice.`,
        })
      }
      seen.add(variant.id)
      let condition = ALWAYS
      if (variant.when !== undefined) {
        const c = compileCondition(variant.when, env)
        condition = c.condition
        for (const issue of c.issues) {
          issues.push({ path: joinPath([...at, 'when', ...issue.path]), message: issue.message })
        }
      }
      return {
        id: variant.id,
        label: variant.label ?? variant.id,
        always: variant.when === undefined,
        condition,
        action: compileAction(variant.action, env, [...at, 'action'], issues),
      }
    })
    slots.push({
      id,
      label: slot.label ?? id,
      selector: slot.selector,
      paths: slot.paths,
      variants,
    })
  }
  return slots
}

function compileSegmentsAt(
  segments: Config['segments'],
  base: Omit<Env, 'segments'>,
  prefix: (string | number)[],
  issues: ConfigIssue[]
): Env {
  const seg = compileSegments(segments, base)
  for (const issue of seg.issues) {
    issues.push({
      path: joinPath([...prefix, issue.segment, ...issue.path]),
      message: issue.message,
    })
  }
  return { ...base, segments: seg.segments }
}

/**
 * Validate and compile a config document. Every problem is reported with the path of the field;
 * nothing is dropped silently.
 * @example
 * const result = compileConfig(JSON.parse(text))
 * if (!result.ok) console.error(formatIssues(result.issues).join('\n'))
 */
export function compileConfig(
  input: unknown
): { ok: true; compiled: CompiledConfig } | { ok: false; issues: ConfigIssue[] } {
  const parsed = v.safeParse(ConfigSchema, input)
  if (!parsed.success) {
    return { ok: false, issues: schemaIssues(parsed.issues) }
  }
  const config = parsed.output
  const issues: ConfigIssue[] = []
  const revision = configRevision(input)

  const fields: Record<string, FieldSpec> = {
    ...CONTEXT_FIELDS,
    ...labelledContextFields(config.locales),
    ...preferenceFields(config.preferences),
    ...signalFields(config),
  }
  const names = Object.keys(fields)
  const base = {
    field: (path: string) => (Object.hasOwn(fields, path) ? fields[path] : undefined),
    fieldNames: () => names,
  }
  // Every field a site's rules or templates name passes through `field()` as they compile (all
  // its segments too, used or not: a superset is safe), so recording those calls gives the set.
  const recording = () => {
    const used = new Set<string>()
    const env = { ...base, field: (path: string) => (used.add(path), base.field(path)) }
    return { used, env }
  }

  const top = recording()
  const env = compileSegmentsAt(config.segments, top.env, ['segments'], issues)
  const slots = compileSlots(config.slots, env, ['slots'], issues)
  const slotIds = new Set(slots.map((s) => s.id))
  // Each experiment's problems are said once, by the first site that has its slot.
  const reported = new Set<number>()
  const experiments = compileExperiments(config, slots, env, issues, reported)
  const holdout = compileHoldout(config.holdout, issues)

  const hosts = new Map<string, CompiledConfig>()
  for (const [host, site] of Object.entries(config.hosts)) {
    const own = recording()
    const hostEnv = compileSegmentsAt(
      { ...config.segments, ...site.segments },
      own.env,
      ['hosts', host, 'segments'],
      issues
    )
    const hostSlots = compileSlots(site.slots, hostEnv, ['hosts', host, 'slots'], issues)
    for (const s of hostSlots) {
      slotIds.add(s.id)
    }
    hosts.set(host, {
      config,
      slots: hostSlots,
      experiments: compileExperiments(config, hostSlots, hostEnv, issues, reported),
      holdout,
      origin: site.origin,
      revision,
      hosts: new Map(),
      ...base,
      fields: own.used,
    })
  }

  checkExperimentSlots(config, slotIds, issues)

  if (issues.length) {
    return { ok: false, issues }
  }
  return {
    ok: true,
    compiled: {
      config,
      slots,
      origin: undefined,
      revision,
      hosts,
      experiments,
      holdout,
      ...base,
      fields: top.used,
    },
  }
}

/**
 * The compiled config for one hostname: its own entry under `hosts`, else the top level.
 * @example configForHost(compiled, new URL(request.url).hostname).slots
 */
export function configForHost(compiled: CompiledConfig, hostname: string): CompiledConfig {
  return compiled.hosts.get(hostname.toLowerCase()) ?? compiled
}
