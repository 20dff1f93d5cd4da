// Choose one variant per slot for this visitor, and say why in words.
import type { CompiledConfig, CompiledSlot, CompiledVariant } from '../config'
import type { Facts } from '../context'

/** The outcome for one slot: the variant that won, or none (the page's own content). */
export type Decision = {
  slot: CompiledSlot
  variant: CompiledVariant | undefined
  /** Set when a preview link chose the variant instead of the rules. */
  forced?: boolean
  /** Set when an experiment's arm chose what the slot shows (src/experiments/decisions.ts). */
  test?: { id: string; label: string; arm: string }
}

/** Whether a slot applies on this path (its `paths` prefixes; none means every page). */
export function slotApplies(slot: CompiledSlot, path: string): boolean {
  return slot.paths === undefined || slot.paths.some((p) => path.startsWith(p))
}

/**
 * One decision per slot that applies to `facts.path`: the first variant whose condition holds.
 * Pure and total; costs one `test()` per variant tried.
 * @example decide(compiled, facts).map((d) => `${d.slot.id}=${d.variant?.id ?? 'default'}`)
 */
export function decide(
  compiled: Pick<CompiledConfig, 'slots'>,
  facts: Facts,
  forced?: Readonly<Record<string, string>>
): Decision[] {
  const out: Decision[] = []
  for (const slot of compiled.slots) {
    if (!slotApplies(slot, facts.path)) {
      continue
    }
    let chosen: CompiledVariant | undefined
    const force = forced && Object.hasOwn(forced, slot.id) ? forced[slot.id] : undefined
    if (force !== undefined) {
      // A preview link may force a variant (or "default", the origin's content).
      out.push({ slot, variant: slot.variants.find((v) => v.id === force), forced: true })
      continue
    }
    for (const variant of slot.variants) {
      if (variant.condition.test(facts)) {
        chosen = variant
        break
      }
    }
    out.push({ slot, variant: chosen })
  }
  return out
}

/**
 * The reason for a decision in plain words, built from the clauses that matched. Slow path:
 * called only for explanations, never to render a page.
 * @example explainDecision(d, facts) // 'because your language is French and it is evening where you are'
 */
export function explainDecision(decision: Decision, facts: Facts): string {
  const { variant } = decision
  if (decision.forced) {
    return variant ? 'forced by the preview link' : 'the preview link asked for the page as it is'
  }
  if (decision.test) {
    return `this site is testing versions of this block ("${decision.test.label}"): this is "${decision.test.arm}"`
  }
  if (!variant) {
    return 'no rule matched, so the page shows its own content'
  }
  if (variant.always) {
    return 'everyone sees this'
  }
  const texts = [...new Set(variant.condition.explain(facts).map((r) => r.text))]
  if (texts.length === 0) {
    return 'a rule matched'
  }
  const last = texts.pop()
  return `because ${texts.length ? `${texts.join(', ')} and ${last}` : last}`
}
