// Signed preview links: browse the live site as a given context and preferences, for N minutes.
import type { CompiledConfig, ConfigIssue, Preferences } from '../config'
import { escapeHtml, sanitizePreferences, validatePreferences } from '../config'
import type { Facts } from '../context'
import { safeLocalPath } from '../context'
import type { Simulation } from './simulate'
import { applySimulation, parseSimulation } from './simulate'

export const PREVIEW_PURPOSE = 'preview'
/** Separate from the visitor cookie: a preview never touches what the visitor chose. */
export const PREVIEW_COOKIE = '__Host-tailor-preview'
export const PREVIEW_MAX_MINUTES = 24 * 60

/** What a preview link carries (signed; the holder cannot change it). */
export type PreviewData = {
  /** Forced context fields, as in the dev simulator. */
  context: Record<string, string | number | boolean>
  /** The preferences to preview with (they replace the holder's own). */
  prefs: Preferences
  /** Forced variants by slot id ("default" shows the origin's content). */
  variants: Record<string, string>
  /** Where the link lands, a same-origin path. */
  path: string
}

/**
 * Validate a preview request body: `{ context?, preferences?, variants?, minutes? (30), path? ("/") }`.
 * @example parsePreviewRequest({ context: { country: 'FR' }, minutes: 15 }, compiled)
 */
export function parsePreviewRequest(
  body: unknown,
  compiled: CompiledConfig
): { ok: true; data: PreviewData; minutes: number } | { ok: false; issues: ConfigIssue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: 'Expected a JSON object.' }] }
  }
  const input = body as Record<string, unknown>
  const issues: ConfigIssue[] = []
  for (const key of Object.keys(input)) {
    if (!['context', 'preferences', 'variants', 'minutes', 'path'].includes(key)) {
      issues.push({
        path: key,
        message: 'Unknown field. Expected context, preferences, variants, minutes or path.',
      })
    }
  }

  const context: Record<string, string | number | boolean> = {}
  if (input.context !== undefined) {
    if (
      typeof input.context !== 'object' ||
      input.context === null ||
      Array.isArray(input.context)
    ) {
      issues.push({ path: 'context', message: 'Expected an object of context fields.' })
    } else {
      const pairs = Object.entries(input.context).map(
        ([k, val]) => `${k}:${String(val).replace(/,/g, '')}`
      )
      const sim = parseSimulation(pairs.join(','))
      for (const issue of sim.issues) {
        const at = issue.indexOf(': ')
        issues.push({ path: `context.${issue.slice(0, at)}`, message: issue.slice(at + 2) })
      }
      Object.assign(context, sim.overrides)
    }
  }

  let prefs: Preferences = {}
  if (input.preferences !== undefined) {
    const checked = validatePreferences(input.preferences, compiled.config.preferences)
    if (checked.ok) {
      prefs = checked.value
    } else {
      issues.push(
        ...checked.issues.map((i) => ({ ...i, path: `preferences${i.path ? `.${i.path}` : ''}` }))
      )
    }
  }

  const variants: Record<string, string> = {}
  if (input.variants !== undefined) {
    if (
      typeof input.variants !== 'object' ||
      input.variants === null ||
      Array.isArray(input.variants)
    ) {
      issues.push({ path: 'variants', message: 'Expected an object: slot id → variant id.' })
    } else {
      for (const [slotId, variantId] of Object.entries(input.variants)) {
        const slot = compiled.slots.find((s) => s.id === slotId)
        if (!slot) {
          issues.push({
            path: `variants.${slotId}`,
            message: `Unknown slot. Expected one of: ${compiled.slots.map((s) => s.id).join(', ')}.`,
          })
        } else if (variantId !== 'default' && !slot.variants.some((v) => v.id === variantId)) {
          issues.push({
            path: `variants.${slotId}`,
            message: `Expected one of ${['default', ...slot.variants.map((v) => v.id)].map((id) => `"${id}"`).join(', ')}. Got ${JSON.stringify(variantId)}.`,
          })
        } else {
          variants[slotId] = variantId as string
        }
      }
    }
  }

  const minutes = input.minutes ?? 30
  if (
    typeof minutes !== 'number' ||
    !Number.isInteger(minutes) ||
    minutes < 1 ||
    minutes > PREVIEW_MAX_MINUTES
  ) {
    issues.push({
      path: 'minutes',
      message: `Expected a whole number of minutes from 1 to ${PREVIEW_MAX_MINUTES}. Got ${JSON.stringify(minutes)}.`,
    })
  }
  const path = input.path === undefined ? '/' : safeLocalPath(input.path)
  if (path === undefined) {
    issues.push({
      path: 'path',
      message: `Expected a path on this site starting with "/". Got ${JSON.stringify(input.path)}.`,
    })
  }
  if (issues.length) {
    return { ok: false, issues }
  }
  return {
    ok: true,
    data: { context, prefs, variants, path: path ?? '/' },
    minutes: minutes as number,
  }
}

/** Read back signed preview data defensively (it was signed by us, but the config may have changed). */
export function previewFromToken(data: unknown, compiled: CompiledConfig): PreviewData | undefined {
  if (typeof data !== 'object' || data === null) {
    return undefined
  }
  const d = data as Partial<PreviewData>
  const sim = parseSimulation(
    Object.entries(d.context ?? {})
      .map(([k, val]) => `${k}:${String(val)}`)
      .join(',')
  )
  const variants: Record<string, string> = {}
  for (const [k, val] of Object.entries(d.variants ?? {})) {
    if (typeof val === 'string') {
      variants[k] = val
    }
  }
  return {
    context: { ...sim.overrides },
    prefs: sanitizePreferences(d.prefs, compiled.config.preferences),
    variants,
    path: safeLocalPath(d.path) ?? '/',
  }
}

/** The facts a preview shows: its context forced, its preferences in place of the holder's. */
export function applyPreview(facts: Facts, preview: PreviewData): Facts {
  const sim: Simulation = { overrides: preview.context, issues: [] }
  return { ...applySimulation(facts, sim), prefs: { ...preview.prefs } }
}

/** The small banner shown at the top of every previewed page (all values escaped). */
export function previewBanner(preview: PreviewData, expiresAt: number): string {
  const parts = [
    ...Object.entries(preview.context).map(([k, val]) => `${k} ${String(val)}`),
    ...Object.entries(preview.prefs).map(
      ([k, val]) => `${k}: ${Array.isArray(val) ? val.join(', ') : String(val)}`
    ),
    ...Object.entries(preview.variants).map(([k, val]) => `${k} → ${val}`),
  ]
  const until = new Date(expiresAt * 1000).toISOString().slice(11, 16)
  const what = parts.length ? parts.join(' · ') : 'no overrides'
  return (
    '<div id="tailor-preview" role="status" style="position:sticky;top:0;z-index:2147483647;' +
    'background:#1f2937;color:#fff;font:14px/1.4 system-ui,sans-serif;padding:8px 12px;text-align:center">' +
    `Tailor preview: ${escapeHtml(what)} · until ${until} UTC · ` +
    '<a href="/_tailor/preview/exit" style="color:#fde68a">Exit preview</a></div>'
  )
}
