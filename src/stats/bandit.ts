// Bandit allocation: Thompson-sampling weights from Beta posteriors, with burn-in, a floor and context cells.
import type { ArmTotals } from './proportion'
import { cleanTotals } from './proportion'
import type { Random } from './random'
import { createRandom, sampleBeta } from './random'

/** The bandit's defaults: GrowthBook's policy (`gbstats/bayesian/bandits.py`, `models/settings.py`). */
export const BANDIT_DEFAULTS = {
  /** Every arm keeps at least this share once Thompson sampling takes over. */
  floor: 0.01,
  /** Equal weights until every arm has at least this many exposures. */
  minExposures: 100,
  /** Monte-Carlo draws per Thompson estimate. */
  draws: 10_000,
  /** PRNG seed (gbstats's `bandit_weights_seed`). */
  seed: 100,
} as const

/** The most context cells a contextual bandit keeps (two coarse fields, e.g. 3 devices × 8 dayparts). */
export const MAX_CONTEXT_CELLS = 24

/** Options of the bandit functions; every field has a default in `BANDIT_DEFAULTS`. */
export interface BanditOptions {
  /** Minimum share per arm, in [0, 1/arms]; a larger floor gives equal weights. Default 0.01. */
  readonly floor?: number
  /** Exposures every arm needs before the weights leave equal. Default 100. */
  readonly minExposures?: number
  /** Monte-Carlo draws. Default 10,000; at least 1. */
  readonly draws?: number
  /** PRNG seed; the same seed and totals always give the same weights. Default 100. */
  readonly seed?: number
}

/** A bandit's traffic split. */
export interface BanditWeights {
  /** One share per arm, each ≥ the floor (after burn-in), summing to 1 within 1e-15. */
  readonly weights: readonly number[]
  /** `burn-in`: equal weights, some arm is below `minExposures`; `thompson`: from the posteriors. */
  readonly phase: 'burn-in' | 'thompson'
}

function equalWeights(arms: number): number[] {
  return Array.from({ length: arms }, () => 1 / arms)
}

/**
 * Applies a minimum share with gbstats's additive floor, p_i = f + (1 − n·f)·w_i, which keeps the
 * ranking and the proportions between arms (clipping then renormalising, which gbstats dropped in
 * PR #6145, biases the allocation and can leave an arm below the floor after renormalising).
 * `weights` are normalised first (all zero or not finite: equal). A floor of 1/n or more, or one
 * that is not a number, gives equal weights; a negative floor counts as 0. The rounding residue
 * goes to the largest weight, so the shares sum to 1 and every other share is ≥ f exactly.
 *
 * @example floorWeights([1, 0, 0], 0.01) // [0.98, 0.01, 0.01]
 */
export function floorWeights(weights: readonly number[], floor: number): number[] {
  const n = weights.length
  const clean = weights.map((w) => (w > 0 && Number.isFinite(w) ? w : 0))
  const total = clean.reduce((a, b) => a + b, 0)
  const f = floor > 0 ? floor : 0
  if (n === 0) {
    return []
  }
  if (!(total > 0) || !Number.isFinite(total) || Number.isNaN(floor) || f * n >= 1) {
    return equalWeights(n)
  }
  const floored = clean.map((w) => f + (1 - n * f) * (w / total))
  let largest = 0
  floored.forEach((w, i) => {
    if (w > (floored[largest] as number)) {
      largest = i
    }
  })
  floored[largest] = 1 - floored.reduce((a, w, i) => (i === largest ? a : a + w), 0)
  return floored
}

/**
 * Thompson sampling's allocation: the share of `draws` Monte-Carlo rounds that each arm wins when
 * every arm draws its rate from its Beta(1 + conversions, 1 + units − conversions) posterior. Ties
 * go to the lower index. Deterministic for a given `random` stream.
 *
 * @example thompsonShares([{ units: 1000, exposures: 1000, conversions: 50 },
 *                          { units: 1000, exposures: 1000, conversions: 80 }], 10_000, createRandom(1))
 */
export function thompsonShares(
  arms: readonly ArmTotals[],
  draws: number,
  random: Random
): number[] {
  const count = arms.length
  const alphas = new Float64Array(count)
  const betas = new Float64Array(count)
  arms.forEach((arm, i) => {
    const t = cleanTotals(arm)
    alphas[i] = 1 + t.conversions
    betas[i] = 1 + t.units - t.conversions
  })
  const rounds = Math.max(1, Math.floor(Number.isFinite(draws) ? draws : BANDIT_DEFAULTS.draws))
  const wins = new Float64Array(count)
  // Plain loops: this is the hot path (10,000 rounds × arms × two Gamma draws).
  for (let round = 0; round < rounds; round++) {
    let best = -1
    let bestValue = -Infinity
    for (let i = 0; i < count; i++) {
      const value = sampleBeta(alphas[i] as number, betas[i] as number, random)
      if (value > bestValue) {
        best = i
        bestValue = value
      }
    }
    if (best >= 0) {
      wins[best] = (wins[best] as number) + 1
    }
  }
  return Array.from(wins, (w) => w / rounds)
}

/**
 * The bandit's weights for one set of arms (the primary goal's totals): equal during burn-in
 * (some arm below `minExposures` exposures), else Thompson shares with the floor applied.
 *
 * @example banditWeights(primaryGoalTotals, { floor: 0.01, seed: 7 }).weights
 */
export function banditWeights(
  arms: readonly ArmTotals[],
  options: BanditOptions = {},
  random: Random = createRandom(options.seed ?? BANDIT_DEFAULTS.seed)
): BanditWeights {
  const minExposures = options.minExposures ?? BANDIT_DEFAULTS.minExposures
  if (arms.length === 0) {
    return { weights: [], phase: 'burn-in' }
  }
  if (arms.some((arm) => !(cleanTotals(arm).exposures >= minExposures))) {
    return { weights: equalWeights(arms.length), phase: 'burn-in' }
  }
  const shares = thompsonShares(arms, options.draws ?? BANDIT_DEFAULTS.draws, random)
  return {
    weights: floorWeights(shares, options.floor ?? BANDIT_DEFAULTS.floor),
    phase: 'thompson',
  }
}

/** A context cell's weights, and whether they came from the cell itself or from the pooled arms. */
export interface CellWeights extends BanditWeights {
  /** `cell`: the cell's own counts passed burn-in; `pooled`: not yet, so the pooled weights apply. */
  readonly from: 'cell' | 'pooled'
}

/** The contextual bandit's answer: pooled weights (for unknown cells) and weights per cell. */
export interface ContextualWeights {
  readonly pooled: BanditWeights
  readonly cells: Readonly<Record<string, CellWeights>>
}

// FNV-1a over the key's UTF-16 code units: a stable per-cell seed, so adding a cell does not
// change another cell's draws.
function hashKey(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  }
  return h >>> 0
}

/**
 * Weights per context cell (cells are keys such as `"mobile|evening"`, each with per-arm totals of
 * the primary goal). A cell whose every arm has `minExposures` exposures gets its own Thompson
 * weights, seeded with `seed` mixed with the cell's key; a cell still in burn-in borrows the pooled
 * weights (all cells summed), as GrowthBook's SDK falls back to the aggregate for an unmatched leaf.
 * Arms missing from a cell count as empty. The math takes any number of cells; the config caps
 * them at `MAX_CONTEXT_CELLS`.
 *
 * @example contextualBanditWeights({ 'mobile|evening': mobile, 'desktop|morning': desktop }).cells
 */
export function contextualBanditWeights(
  cells: Readonly<Record<string, readonly ArmTotals[]>>,
  options: BanditOptions = {}
): ContextualWeights {
  const seed = options.seed ?? BANDIT_DEFAULTS.seed
  const entries = Object.entries(cells)
  const armCount = Math.max(0, ...entries.map(([, arms]) => arms.length))
  const empty: ArmTotals = { units: 0, exposures: 0, conversions: 0 }
  const filled = entries.map(
    ([key, arms]) =>
      [key, Array.from({ length: armCount }, (_, i) => cleanTotals(arms[i] ?? empty))] as const
  )
  const pooledTotals = Array.from({ length: armCount }, (_, i) =>
    filled.reduce(
      (sum, [, arms]) => {
        const arm = arms[i] as ArmTotals
        return {
          units: sum.units + arm.units,
          exposures: sum.exposures + arm.exposures,
          conversions: sum.conversions + arm.conversions,
        }
      },
      { ...empty }
    )
  )
  const pooled = banditWeights(pooledTotals, options)
  // fromEntries defines own properties, so a cell named "__proto__" is just a cell.
  const result = Object.fromEntries(
    filled.map(([key, arms]): [string, CellWeights] => {
      const own = banditWeights(arms, options, createRandom(seed ^ hashKey(key)))
      return [
        key,
        own.phase === 'thompson' ? { ...own, from: 'cell' } : { ...pooled, from: 'pooled' },
      ]
    })
  )
  return { pooled, cells: result }
}
