// Click goals: the `ping` URL each counted outcome puts on the links inside its slot.
import type { Keyring } from '../visitor'
import type { Assignment } from './assign'
import { PING_PATH, pingNonce, signPing } from './ping'

/** Links inside a slot to give a `ping`: one selector per part of the slot's selector list. */
export function linkSelector(slotSelector: string): string {
  return splitSelectorList(slotSelector)
    .map((part) => `${part} a[href]`)
    .join(', ')
}

/** Split "a, b[x='1,2']" at its top-level commas only. */
function splitSelectorList(selector: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]
    if (quote) {
      if (c === '\\') {
        i++
      } else if (c === quote) {
        quote = ''
      }
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '[' || c === '(') {
      depth++
    } else if (c === ']' || c === ')') {
      depth--
    } else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(selector.slice(start).trim())
  return parts.filter(Boolean)
}

/**
 * For each counted outcome with a click goal: the links to mark and their ping URL, carrying a
 * signed token of (experiment, phase, arm, goal, and a contextual bandit's cell) with one nonce
 * for this page view.
 * @example await pingLinks(assignment, keyring, Date.now()) // [{ selector: '#hero a[href]', url: '/_tailor/ping/1.k2.…' }]
 */
export async function pingLinks(
  assignment: Assignment,
  selectorOf: (slot: string) => string | undefined,
  keyring: Keyring,
  now: number
): Promise<{ selector: string; url: string }[]> {
  const out: { selector: string; url: string }[] = []
  const nonce = pingNonce()
  for (const o of assignment.outcomes) {
    const goal = o.counted ? o.experiment.goals.findIndex((g) => g.type === 'click') : -1
    const selector = selectorOf(o.experiment.slot)
    if (goal === -1 || selector === undefined) {
      continue
    }
    const at = {
      experiment: o.experiment.id,
      phase: o.experiment.phase,
      arm: o.arm,
      goal,
      cell: o.cell,
    }
    const token = await signPing(at, keyring, now, nonce)
    out.push({ selector: linkSelector(selector), url: `${PING_PATH}${token}` })
  }
  return out
}
