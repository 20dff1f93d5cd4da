// Deciding which variant each slot shows.
export type { Decision } from './decide'
export { decide, explainDecision, slotApplies } from './decide'
