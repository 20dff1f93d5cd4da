// A small seeded PRNG (mulberry32) and Gamma/Beta samplers, so that bandit weights are reproducible.

/** A source of uniform numbers in (0, 1), never exactly 0 or 1. */
export type Random = () => number

/**
 * mulberry32 (Tommy Ettinger's 32-bit counter-based generator): one word of state and period 2^32,
 * ample for the ~10^6 numbers of one Thompson estimate (the sampler tests check the moments of
 * its Beta draws); chosen over larger generators such as sfc32 for its size in the bundle.
 * Deterministic: the same seed gives the same stream in every runtime. Not for anything secret
 * (assignment uses `crypto.getRandomValues`).
 *
 * @example const random = createRandom(100); random() // a number in (0, 1)
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    // (k + 0.5)/2^32: uniform on (0, 1), never 0 (whose log is −∞) nor 1.
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296
  }
}

/** A standard normal draw (Box–Muller, one of the pair; simple and deterministic). */
export function sampleNormal(random: Random): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())
}

/**
 * A Gamma(shape, 1) draw by Marsaglia and Tsang (2000), "A simple method for generating gamma
 * variables"; shapes below 1 use Gamma(shape + 1)·U^(1/shape). `shape` must be positive.
 */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) {
    return sampleGamma(shape + 1, random) * random() ** (1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = sampleNormal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = random()
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      return d * v
    }
  }
}

/** A Beta(alpha, beta) draw as X/(X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta); both shapes positive. */
export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const x = sampleGamma(alpha, random)
  const y = sampleGamma(beta, random)
  return x / (x + y)
}
