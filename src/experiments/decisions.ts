// The assignment applied to the slots' decisions: arms override them; the holdout clears them all.
import type { Decision } from '../decide'
import type { Assignment } from './assign'

/**
 * The decisions this page shows. An arm with a variant shows it, whatever its `when`; `default`
 * shows the origin's block; `rules` keeps the slot's normal decision. A holdout member's page has
 * no personalisation at all. Each decision an arm set carries the experiment (`test`), so the
 * centre and the explanations can say so.
 * @example applyBets(decisions, assignment).map((d) => d.variant?.id)
 */
export function applyBets(decisions: readonly Decision[], assignment: Assignment): Decision[] {
  if (assignment.holdout?.member) {
    return decisions.map((d) => ({ slot: d.slot, variant: undefined }))
  }
  if (assignment.outcomes.length === 0) {
    return [...decisions]
  }
  return decisions.map((d) => {
    const outcome = assignment.outcomes.find((o) => o.experiment.slot === d.slot.id)
    const arm = outcome?.experiment.arms[outcome.arm]
    if (!outcome || !arm || d.forced) {
      return d
    }
    const test = { id: outcome.experiment.id, label: outcome.experiment.label, arm: arm.label }
    switch (arm.show.type) {
      case 'variant':
        return { slot: d.slot, variant: arm.show.variant, test }
      case 'default':
        return { slot: d.slot, variant: undefined, test }
      default:
        return { ...d, test }
    }
  })
}
