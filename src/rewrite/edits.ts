// Decisions rendered into plain edits before the body streams, so no handler can fail mid-stream.
import type { CompiledConfig } from '../config'
import { renderTemplate } from '../config'
import type { Facts } from '../context'
import type { Decision } from '../decide'

/** What to do to every element a slot's selector matches, with all content already rendered. */
export type SlotEdit =
  | { selector: string; kind: 'html'; html: string }
  | { selector: string; kind: 'text'; text: string }
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
    const { selector } = slot
    const action = variant.action
    switch (action.type) {
      case 'html':
        edits.push({
          selector,
          kind: 'html',
          html: renderTemplate(action.html, facts, compiled.field, true),
        })
        break
      case 'text':
        // Not escaped here: HTMLRewriter escapes text content itself (`html: false`).
        edits.push({
          selector,
          kind: 'text',
          text: renderTemplate(action.text, facts, compiled.field, false),
        })
        break
      case 'attributes':
        edits.push({
          selector,
          kind: 'attributes',
          // HTMLRewriter quotes and escapes attribute values it writes.
          set: action.set.map(
            ([name, t]) => [name, renderTemplate(t, facts, compiled.field, false)] as const
          ),
          remove: action.remove,
          addClass: action.addClass,
          removeClass: action.removeClass,
        })
        break
      case 'template':
        edits.push({ selector, kind: 'template', id: action.id })
        break
      default:
        edits.push({ selector, kind: action.type })
    }
  }
  return edits
}
