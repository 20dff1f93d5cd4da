// A small seeded PRNG (sfc32) and Gamma/Beta samplers, so that bandit weights are reproducible.

/** A source of uniform numbers in (0, 1), never exactly 0 or 1. */
export type Random = () => number

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Period at least 2^32; passes PractRand
 * far beyond what 10,000 Thompson draws need. Deterministic: the same seed gives the same stream
 * in every runtime. Not for anything secret (assignment uses `crypto.getRandomValues`).
 *
 * @example const random = createRandom(100); random() // a number in (0, 1)
 */
export function createRandom(seed: number): Random {
  let s = seed >>> 0
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    return (z ^ (z >>> 15)) >>> 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  // Warm up past the seeding's structure, as the reference implementation suggests.
  for (let i = 0; i < 12; i++) {
    next()
  }
  // (k + 0.5)/2^32: uniform on (0, 1), never 0 (whose log is −∞) nor 1.
  return () => (next() + 0.5) / 4294967296
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
