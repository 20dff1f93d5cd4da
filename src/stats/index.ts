// Experiment statistics and bandit allocation, pure: plain per-arm totals in, finite numbers (or null) out.
// The special functions (./special) and samplers (./random) stay inside: they have domains
// (p in (0, 1), positive shapes) that the functions here guarantee, and their tests import them.
export type { ArmTotals, Interval, RateEstimate } from './proportion'
export {
  DEFAULT_LEVEL,
  cleanCount,
  cleanTotals,
  estimateRate,
  wilsonInterval,
  zForLevel,
} from './proportion'
export type { ArmResult, Comparison, CompareOptions, HoldoutLift } from './compare'
export {
  analyseGoal,
  chanceToBeat,
  compareArms,
  holdoutLift,
  relativeUplift,
  twoProportionPValue,
} from './compare'
export type { SrmOptions, SrmResult } from './srm'
export { SRM_DEFAULTS, sampleRatioMismatch } from './srm'
export type { Random } from './random'
export { createRandom } from './random'
export type { BanditOptions, BanditWeights, CellWeights, ContextualWeights } from './bandit'
export {
  BANDIT_DEFAULTS,
  MAX_CONTEXT_CELLS,
  banditWeights,
  contextualBanditWeights,
  floorWeights,
  thompsonShares,
} from './bandit'
export type { Verdict, VerdictArm, VerdictInput, VerdictOptions, VerdictStatus } from './verdict'
export {
  DEFAULT_MIN_COUNT,
  VERDICT_DEFAULTS,
  formatChance,
  formatCount,
  formatP,
  isSuppressed,
  suppressSmall,
  verdict,
} from './verdict'
