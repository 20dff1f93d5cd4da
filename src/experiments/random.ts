// Uniform numbers in [0, 1) for draws: crypto.getRandomValues in production, a seeded stream in tests.

/** A source of uniform numbers in [0, 1). Injected so tests can fix the seed. */
export type RandomSource = () => number

const TWO_POW_26 = 2 ** 26
const TWO_POW_53 = 2 ** 53

// Drawn in blocks: one getRandomValues call per 128 numbers rather than per draw.
const BLOCK = 256
let pool = new Uint32Array(0)
let next = 0

/**
 * A uniform number in [0, 1) with 53 random bits (every double of the form k/2^53), from
 * `crypto.getRandomValues`: 27 bits of one word and 26 of the next, as V8's own Math.random
 * composes a double. No modulo anywhere, so no arm is favoured.
 * @example cryptoRandom() // 0.7316…
 */
export const cryptoRandom: RandomSource = () => {
  if (next + 2 > pool.length) {
    pool = crypto.getRandomValues(new Uint32Array(BLOCK))
    next = 0
  }
  const high = (pool[next++] as number) >>> 5
  const low = (pool[next++] as number) >>> 6
  return (high * TWO_POW_26 + low) / TWO_POW_53
}

/**
 * A seeded stream of uniform numbers in [0, 1) (SplitMix32 then xoshiro128**, 53 bits as above),
 * for tests and the bench that need the same draws every run. Never for production draws.
 * @example const random = seededRandom(42); random() // always the same first number
 */
export function seededRandom(seed: number): RandomSource {
  // SplitMix32 spreads the seed over the 128-bit state (xoshiro's authors advise a mixer).
  let x = seed >>> 0
  const mix = (): number => {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = mix()
  let b = mix()
  let c = mix()
  let d = mix()
  const word = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return result
  }
  return () => ((word() >>> 5) * TWO_POW_26 + (word() >>> 6)) / TWO_POW_53
}

const rotl = (v: number, k: number): number => (v << k) | (v >>> (32 - k))

/**
 * The index of the range `u` falls in, given cumulative bounds (`[w0, w0+w1, …]`): the first i
 * with u·total < bounds[i]. An arm of weight 0 has an empty range and is never drawn. Returns -1
 * when every weight is 0.
 * @example drawIndex([1, 4], 0.3) // 1 (0.3 × 4 = 1.2 falls in [1, 4))
 */
export function drawIndex(bounds: readonly number[], u: number): number {
  const total = bounds[bounds.length - 1] ?? 0
  if (!(total > 0)) {
    return -1
  }
  const x = u * total
  for (let i = 0; i < bounds.length; i++) {
    if (x < (bounds[i] as number)) {
      return i
    }
  }
  // Only rounding at the very top of the range gets here: the last arm with a weight.
  for (let i = bounds.length - 1; i > 0; i--) {
    if ((bounds[i] as number) > (bounds[i - 1] as number)) {
      return i
    }
  }
  return 0
}
