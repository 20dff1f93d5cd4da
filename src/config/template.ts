// `{{field}}` interpolation in config content: parsed once, rendered per request, always escaped.
import type { Facts, FieldSpec } from '../context'
import { readField } from '../rules'

/** A piece of content: literal text, or a field read from the facts with an optional fallback. */
export type TemplatePart = string | { field: string; fallback: string }
export type Template = { parts: readonly TemplatePart[]; dynamic: boolean }

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]*)\s*(?:\|([^}]*))?\}\}/g

/**
 * Split content into literal parts and placeholders. `{{prefs.name|there}}` reads `prefs.name`
 * and falls back to "there" when it is empty.
 * @example parseTemplate('Hi {{prefs.name|there}}').parts // ['Hi ', { field: 'prefs.name', fallback: 'there' }]
 */
export function parseTemplate(source: string): Template {
  const parts: TemplatePart[] = []
  let last = 0
  for (const m of source.matchAll(PLACEHOLDER)) {
    if (m.index > last) {
      parts.push(source.slice(last, m.index))
    }
    parts.push({ field: m[1] ?? '', fallback: (m[2] ?? '').trim() })
    last = m.index + m[0].length
  }
  if (last < source.length) {
    parts.push(source.slice(last))
  }
  return { parts, dynamic: parts.some((p) => typeof p !== 'string') }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escape text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch)
}

/** A fact as words: list values joined with their labels ("Cycling, Running"). */
export function factToText(value: unknown, spec: FieldSpec | undefined): string {
  const label = (v: string) => (spec?.labels && Object.hasOwn(spec.labels, v) ? spec.labels[v] : v)
  if (typeof value === 'string') {
    return label(value) ?? value
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value)
  }
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no'
  }
  if (Array.isArray(value)) {
    return value
      .filter((v): v is string => typeof v === 'string')
      .map((v) => label(v) ?? v)
      .join(', ')
  }
  return ''
}

/**
 * Render a template. Literal parts are trusted config text and stay as they are when `html` is
 * true; every interpolated value (and its fallback) is HTML-escaped.
 *
 * Beware: the result of `html: true` is inserted as raw HTML, so only config text may reach it
 * unescaped. A visitor's name "<script>" comes out as "&lt;script&gt;".
 */
export function renderTemplate(
  template: Template,
  facts: Facts,
  field: (path: string) => FieldSpec | undefined,
  html: boolean
): string {
  let out = ''
  for (const part of template.parts) {
    if (typeof part === 'string') {
      out += part
    } else {
      const text = factToText(readField(facts, part.field), field(part.field)) || part.fallback
      out += html ? escapeHtml(text) : text
    }
  }
  return out
}
