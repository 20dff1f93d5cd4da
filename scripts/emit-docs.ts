// Writes docs/config.md, the config reference, from the valibot schema and its doc comments.
import { readFileSync, writeFileSync } from 'node:fs'
import ts from 'typescript'
import * as schemas from '../src/config/schema'

/** Where the schema and its comments live, and where the reference is written. */
export const SCHEMA_FILE = 'src/config/schema.ts'

/** The schema's own files: schema.ts and the sections it imports (the experiments'). */
export const SCHEMA_FILES = [SCHEMA_FILE, 'src/config/experiments.ts']

/** The text the docs are made from: every schema file, one after the other. */
export function schemaSource(): string {
  return SCHEMA_FILES.map((f) => readFileSync(f, 'utf8')).join('\n')
}
export const CONFIG_DOC = 'docs/config.md'

/** One documented field: its path in the document, type, default, and the schema's comment. */
export type FieldDoc = {
  path: string
  type: string
  required: boolean
  default: unknown
  meaning: string
}

// A structural view of the valibot schema objects walked below (valibot's own types are generic).
type Node = {
  type: string
  wrapped?: Node
  default?: unknown
  pipe?: { type: string; requirement?: unknown }[]
  entries?: Record<string, Node>
  item?: Node
  value?: Node
  key?: Node
  options?: (Node | string)[]
  literal?: unknown
}

function commentText(raw: string): string {
  return raw
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter(Boolean)
    .join(' ')
}

function leadingDoc(source: string, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source, node.pos) ?? []
  const last = ranges.filter((r) => source.startsWith('/**', r.pos)).at(-1)
  return last && commentText(source.slice(last.pos, last.end))
}

function literalTag(obj: ts.ObjectLiteralExpression): string | undefined {
  for (const prop of obj.properties) {
    if (ts.isPropertyAssignment(prop) && prop.name.getText() === 'type') {
      const init = prop.initializer
      if (ts.isCallExpression(init) && ts.isStringLiteral(init.arguments[0] ?? init)) {
        return (init.arguments[0] as ts.StringLiteral).text
      }
    }
  }
  return undefined
}

/**
 * The doc comments of schema.ts, keyed "ConstName.field", "ConstName[tag]" (a variant's option)
 * and "ConstName[tag].field"; "ConstName" for the const's own comment.
 * @example schemaComments(source).get('CookieOptionsSchema.maxAgeDays') // 'Lifetime in days, …'
 */
export function schemaComments(source: string): Map<string, string> {
  const file = ts.createSourceFile(SCHEMA_FILE, source, ts.ScriptTarget.Latest, true)
  const found = new Map<string, string>()
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) {
      continue
    }
    for (const decl of statement.declarationList.declarations) {
      const name = decl.name.getText()
      const own = leadingDoc(source, statement)
      if (own) {
        found.set(name, own)
      }
      const visit = (node: ts.Node, prefix: string): void => {
        if (ts.isObjectLiteralExpression(node)) {
          const tag = literalTag(node)
          const here = tag ? `${name}[${tag}]` : prefix
          if (tag && ts.isCallExpression(node.parent)) {
            const doc = leadingDoc(source, node.parent)
            if (doc) {
              found.set(here, doc)
            }
          }
          for (const prop of node.properties) {
            const doc = leadingDoc(source, prop)
            if (doc && ts.isPropertyAssignment(prop)) {
              found.set(`${here}.${prop.name.getText().replace(/^['"]|['"]$/g, '')}`, doc)
            }
            ts.forEachChild(prop, (child) => visit(child, here))
          }
          return
        }
        ts.forEachChild(node, (child) => visit(child, prefix))
      }
      if (decl.initializer) {
        visit(decl.initializer, name)
      }
    }
  }
  return found
}

function unwrap(node: Node): { base: Node; optional: boolean; def: unknown } {
  let base = node
  let optional = false
  let def: unknown
  while (base.type === 'optional' && base.wrapped) {
    optional = true
    def = base.default
    base = base.wrapped
  }
  return { base, optional, def }
}

function limits(node: Node): string {
  const bound = (kind: string) => node.pipe?.find((p) => p.type === kind)?.requirement
  const parts: string[] = []
  const [minV, maxV] = [bound('min_value'), bound('max_value')]
  if (minV !== undefined || maxV !== undefined) {
    parts.push(`${String(minV ?? '')}–${String(maxV ?? '')}`)
  }
  const [minL, maxL] = [bound('min_length'), bound('max_length')]
  if (maxL !== undefined) {
    parts.push(`at most ${String(maxL)}`)
  } else if (minL !== undefined) {
    parts.push(`at least ${String(minL)}`)
  }
  return parts.length ? ` (${parts.join(', ')})` : ''
}

function typeText(node: Node): string {
  switch (node.type) {
    case 'string':
      return `string${limits(node)}`
    case 'number':
      return `${node.pipe?.some((p) => p.type === 'integer') ? 'integer' : 'number'}${limits(node)}`
    case 'boolean':
      return 'boolean'
    case 'literal':
      return JSON.stringify(node.literal)
    case 'picklist':
      return (node.options ?? []).map((o) => JSON.stringify(o)).join(' or ')
    case 'array':
      return `${node.item ? typeText(unwrap(node.item).base) : 'any'}[]${limits(node)}`
    case 'record':
      return 'object'
    case 'strict_object':
    case 'object':
      return 'object'
    case 'variant':
      return 'object (by `type`)'
    default:
      return 'any'
  }
}

/**
 * Every field of the config, in document order, with the schema's comments.
 * @example configFields(readFileSync('src/config/schema.ts', 'utf8'))[0].path // '$schema'
 */
export function configFields(source: string): FieldDoc[] {
  const comments = schemaComments(source)
  const names = new Map<Node, string>()
  for (const [name, value] of Object.entries(schemas)) {
    if (value && typeof value === 'object' && 'kind' in value) {
      names.set(value as unknown as Node, name)
    }
  }
  const rows: FieldDoc[] = []
  const seen = new Map<string, string>()

  const fields = (obj: Node, owner: string, path: string, skip = '') => {
    for (const [key, child] of Object.entries(obj.entries ?? {})) {
      if (key !== skip) {
        field(child, owner, `${path}${path ? '.' : ''}${key}`, key)
      }
    }
  }

  // The fields inside a composite value (object, record, array, variant) at `path`.
  const inside = (base: Node, path: string, owner: string) => {
    const name = names.get(base)
    const composite = ['strict_object', 'object', 'record', 'array', 'variant'].includes(base.type)
    if (name && composite && seen.has(name) && seen.get(name) !== path) {
      rows.push({
        path: `${path}.…`,
        type: '',
        required: false,
        default: undefined,
        meaning: `The same fields as \`${seen.get(name)}\`.`,
      })
      return
    }
    if (name && composite) {
      seen.set(name, path)
    }
    if (base.type === 'strict_object' || base.type === 'object') {
      fields(base, name ?? owner, path)
    } else if (base.type === 'record' && base.value) {
      const value = unwrap(base.value).base
      if (['strict_object', 'object', 'variant'].includes(value.type)) {
        const key = base.key && names.get(base.key) === 'IdSchema' ? '<id>' : '<hostname>'
        inside(value, `${path}.${key}`, owner)
      }
    } else if (base.type === 'array' && base.item) {
      const item = unwrap(base.item).base
      if (['strict_object', 'object', 'variant'].includes(item.type)) {
        inside(item, `${path}[]`, owner)
      }
    } else if (base.type === 'variant') {
      const variant = name ?? owner
      for (const option of base.options ?? []) {
        if (typeof option === 'string') {
          continue
        }
        const tag = String(option.entries?.type?.literal)
        rows.push({
          // A space after "[]": "goals[](click)" would read as a Markdown link.
          path: path.endsWith(']') ? `${path} (${tag})` : `${path}(${tag})`,
          type: '',
          required: false,
          default: undefined,
          meaning: comments.get(`${variant}[${tag}]`) ?? '',
        })
        fields(
          option,
          `${variant}[${tag}]`,
          path.endsWith(']') ? `${path} (${tag})` : `${path}(${tag})`,
          'type'
        )
      }
    }
  }

  const field = (node: Node, owner: string, path: string, key: string) => {
    const { base, optional, def } = unwrap(node)
    const name = names.get(base)
    rows.push({
      path,
      type: typeText(base),
      required: !optional,
      default: def,
      meaning: comments.get(`${owner}.${key}`) ?? (name && comments.get(name)) ?? '',
    })
    inside(base, path, owner)
  }

  fields(schemas.ConfigSchema as unknown as Node, 'ConfigSchema', '')
  return rows
}

function defaultText(row: FieldDoc): string {
  if (row.required) {
    return 'required'
  }
  if (row.default === undefined) {
    return 'optional'
  }
  return `default \`${JSON.stringify(row.default)}\``
}

const INTRO = `# Configuration reference

<!-- Generated by \`npm run docs\` from src/config/schema.ts and its comments: edit those, not this file. -->

The worker bundles one JSON document, \`tailor.config.json\`, validated and compiled once per
isolate. \`tailor.schema.json\` (written by \`npm run schema\`) gives editors autocompletion:
start the file with \`"$schema": "./tailor.schema.json"\`. \`npm run init\` writes a small one for
your own site; \`npm run check\` validates it exactly as the worker will.

A bad config is reported field by field, in the log, at \`/_tailor/health\` and by \`npm run check\`:
\`config: slots.hero.variants[2].when.country: Expected an ISO 3166-1 alpha-2 country code. Got "UK".\`
The site is then served untouched. With a KV namespace bound as \`TAILOR_CONFIG\`, the key
\`config\` replaces the bundled file (see [operating.md](operating.md#hot-config-from-workers-kv)).

To use another file, copy it over \`tailor.config.json\` (the worker imports that path), or push it
to KV with \`npm run config:push\`. Paths below use \`<id>\` for a name you choose (a letter, then
letters, digits, \`-\` or \`_\`; 40 at most), \`[]\` for each item of a list, and
\`action(html)\` for an \`action\` whose \`type\` is \`"html"\`.
`

const CONDITIONS = `## Conditions

A variant's \`when\` is a condition in the MongoDB-style syntax of GrowthBook targeting, for
example \`{ "country": { "$in": ["FR", "BE"] } }\`. Operators: \`$eq $ne $in $nin $gt $gte $lt
$lte $exists $regex $all $size $and $or $nor $not $segment\`. A variant without \`when\` always
applies, so it belongs last.

Fields a condition can test:

- \`country\`, \`region\`, \`city\`, \`continent\`, \`eu\`: from \`request.cf\` only, never from client headers.
- \`timezone\`, \`localHour\`, \`weekday\`, \`weekend\`: the visitor's own clock.
- \`daypart\`: \`night\` 22–4, \`morning\` 5–11, \`afternoon\` 12–17, \`evening\` 18–21, in the visitor's timezone.
- \`device\`: \`mobile\`, \`tablet\` or \`desktop\`, from client hints, then the User-Agent.
- \`language\`: negotiated against \`locales\`; a preference named \`language\` overrides it.
- \`referrer\`: \`search\`, \`social\`, \`email\`, \`internal\`, \`other\` or \`none\` (never the URL).
- \`utm.source\`, \`utm.medium\`, \`utm.campaign\`, \`path\`.
- \`returning\`: the cookie was first saved more than 30 minutes ago.
- \`gpc\`: the request sent \`Sec-GPC: 1\`.
- \`prefs.<name>\`: what the visitor chose in the preference centre.
- \`signals.<interest>\`: a decayed reading score, for each interest \`signals.rules\` names (\`{}\` without consent).

Absent context (no \`request.cf\`, say) is unknown, not an error.

## Templates and markup

An \`html\` action is trusted markup from this file; \`{{prefs.name|fallback}}\` and other
\`{{field}}\` values are HTML-escaped. A \`template\` action shows the origin's own
\`<template data-tailor-variant="ID">\` from inside the block, where \`ID\` is the action's \`id\`.
\`npm run check -- --against URL\` says which templates a page has.
`

/**
 * The whole of docs/config.md, from the schema source text.
 * @example configDocs(readFileSync('src/config/schema.ts', 'utf8')).startsWith('# Configuration')
 */
export function configDocs(source: string): string {
  const rows = configFields(source)
  const sections = new Map<string, string[]>()
  for (const row of rows) {
    const top = row.path.split(/[.([]/)[0] ?? row.path
    const lines = sections.get(top) ?? []
    const type = row.type ? ` · ${row.type} · ${defaultText(row)}` : ''
    lines.push(`- **\`${row.path}\`**${type}. ${row.meaning}`.trimEnd())
    sections.set(top, lines)
  }
  const body = [...sections].map(([top, lines]) => `## \`${top}\`\n\n${lines.join('\n')}\n`)
  return `${INTRO}\n${body.join('\n')}\n${CONDITIONS}`
}

if (process.argv[1]?.endsWith('emit-docs.ts')) {
  writeFileSync(CONFIG_DOC, configDocs(schemaSource()))
  console.log(`wrote ${CONFIG_DOC}`)
}
