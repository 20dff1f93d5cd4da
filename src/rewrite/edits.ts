// Decisions rendered into plain edits before the body streams, so no handler can fail mid-stream.
import type { CompiledConfig } from '../config'
import { escapeHtml, renderTemplate } from '../config'
import type { Facts } from '../context'
import type { Decision } from '../decide'

/**
 * What to do to every element a slot's selector matches, with all content already rendered.
 * `slot` names the slot the edit belongs to: the rewriter records it as seen when the edit's
 * handler fires on an element (none for page-wide edits such as the preview banner).
 */
export type SlotEdit = (
  | { selector: string; kind: 'html'; html: string }
  | { selector: string; kind: 'text'; text: string }
  /**
   * Show the slot's `<template data-tailor-variant="ID">` content in place of its other content;
   * without one (or past HOLD_LIMIT bytes of waiting), the slot stays byte for byte as it came.
   */
  | { selector: string; kind: 'template'; id: string }
  | {
      selector: string
      kind: 'attributes'
      set: readonly (readonly [string, string])[]
      remove: readonly string[]
      addClass: readonly string[]
      removeClass: readonly string[]
    }
  | { selector: string; kind: 'remove' }
  | { selector: string; kind: 'hide' }
  /** Trusted HTML inserted as the element's first child (the preview banner). */
  | { selector: string; kind: 'prepend'; html: string }
  /** An HTML comment before the element (explain mode); `text` is already comment-safe. */
  | { selector: string; kind: 'comment'; text: string }
  /** Changes nothing: only records that the slot is on the page (e.g. an experiment's control). */
  | { selector: string; kind: 'watch' }
) & { slot?: string }

/**
 * Render the chosen variants into edits. Slots with no variant produce no edit, so a visitor for
 * whom nothing changes gets an empty list and the page can stream past untouched.
 * @example renderEdits(decide(compiled, facts), facts, compiled) // [{ selector: '#hero', kind: 'template', id: 'cycling' }]
 */
export function renderEdits(
  decisions: readonly Decision[],
  facts: Facts,
  compiled: Pick<CompiledConfig, 'field'>
): SlotEdit[] {
  const edits: SlotEdit[] = []
  for (const { slot, variant } of decisions) {
    if (!variant) {
      continue
    }
    const selector = slot.selector
    const id = slot.id
    const action = variant.action
    switch (action.type) {
      case 'html':
        edits.push({
          selector,
          slot: id,
          kind: 'html',
          html: renderTemplate(action.html, facts, compiled.field, true),
        })
        break
      case 'text':
        // Not escaped here: HTMLRewriter escapes text content itself (`html: false`).
        edits.push({
          selector,
          slot: id,
          kind: 'text',
          text: renderTemplate(action.text, facts, compiled.field, false),
        })
        break
      case 'attributes':
        edits.push({
          selector,
          slot: id,
          kind: 'attributes',
          // Escaped where written (the rewriter's attributeText): HTMLRewriter quotes, escapes only `"`.
          set: action.set.map(
            ([name, t]) => [name, renderTemplate(t, facts, compiled.field, false)] as const
          ),
          remove: action.remove,
          addClass: action.addClass,
          removeClass: action.removeClass,
        })
        break
      case 'template':
        edits.push({ selector, slot: id, kind: 'template', id: action.id })
        break
      case 'why':
        // "Personalised for you": only when another block on this page was personalised.
        if (decisions.some((d) => d.variant && d.variant.action.type !== 'why')) {
          edits.push({ selector, slot: id, kind: 'html', html: whyLink(facts, action.text) })
        }
        break
      default:
        edits.push({ selector, slot: id, kind: action.type })
    }
  }
  return edits
}

/**
 * Whether `renderEdits` gives every visitor with these decisions the same edits: no chosen
 * variant's template names a field, and none is a "why" link (which carries the page's path).
 * Such edits hold nothing of one visitor's, so a rewriter built for them may serve any response
 * that gets them (`buildRewriter`'s `shared`).
 * @example sameForEveryone(decide(compiled, facts)) // true when every chosen variant is fixed text
 */
export function sameForEveryone(decisions: readonly Decision[]): boolean {
  return decisions.every(({ variant }) => {
    const action = variant?.action
    switch (action?.type) {
      case undefined:
        return true
      case 'html':
        return !action.html.dynamic
      case 'text':
        return !action.text.dynamic
      case 'attributes':
        return action.set.every(([, template]) => !template.dynamic)
      case 'why':
        return false
      default:
        return true
    }
  })
}

/**
 * The preference centre's "why this page looks as it does" link for this page: the path and the
 * campaign fields (what the decisions read from the URL), and the referrer's kind (never its URL),
 * so the centre can decide the page again as it was. Every part is URL-encoded, then the whole
 * attribute HTML-escaped.
 * @example whyLink({ path: '/a b', utm: {}, referrer: 'search', … }, 'Why?')
 * // '<a class="tailor-why" href="/_tailor/?from=%2Fa%2520b&amp;ref=search">Why?</a>'
 */
export function whyLink(facts: Facts, text: string): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(facts.utm)) {
    if (value !== undefined) {
      query.set(`utm_${key}`, value)
    }
  }
  const from = query.size ? `${facts.path}?${query}` : facts.path
  const params = new URLSearchParams({ from })
  if (facts.referrer) {
    params.set('ref', facts.referrer)
  }
  // The centre's path (src/centre); spelled here so the rewriter needs nothing from the centre.
  const href = `/_tailor/?${params}`
  return `<a class="tailor-why" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`
}
