// The bench report's arithmetic, on made-up samples: no load is run here.
import { describe, expect, it } from 'vitest'
import type { CaseResult, RoundSample } from '../../bench/report'
import { roundSpread, targets } from '../../bench/report'

/** A round of `rps` requests a second over 2 s, at `cpu` ms of CPU per request. */
const round = (rps: number, cpu = 0.4): RoundSample => ({
  completed: rps * 2,
  seconds: 2,
  p50: 5,
  p99: 20,
  errors: 0,
  cpuMs: rps * 2 * cpu,
  rssPeak: 100 * 2 ** 20,
})

const result = (id: string, samples: RoundSample[]): CaseResult => ({
  id,
  label: id,
  page: 'harness 100k',
  samples,
})

describe('roundSpread', () => {
  it('gives the lowest and highest per-round ratio, rounds paired by their order', () => {
    const a = result('a', [round(900), round(800), round(1100)])
    const b = result('b', [round(1000), round(1000), round(1000)])
    expect(roundSpread(a, b)).toMatchObject({ low: 0.8, high: 1.1 })
  })

  it('gives the standard error of the per-round ratios’ mean: their deviation over √rounds', () => {
    // Ratios 0.9, 0.8, 1.1: mean 0.9333, sample variance 0.02333, so √(0.02333 / 3) = 0.0882.
    const a = result('a', [round(900), round(800), round(1100)])
    const b = result('b', [round(1000), round(1000), round(1000)])
    expect(roundSpread(a, b)?.se).toBeCloseTo(0.0882, 4)
    // Four times the rounds with the same ratios: squares 4 × 0.04667 over 11, over 12 rounds,
    // so √(0.01697 / 12) = 0.0376, less than half the error of three rounds.
    const four = (rps: number[]) => [...rps, ...rps, ...rps, ...rps].map((r) => round(r))
    const a4 = result('a', four([900, 800, 1100]))
    const b4 = result('b', four([1000, 1000, 1000]))
    expect(roundSpread(a4, b4)?.se).toBeCloseTo(0.0376, 4)
  })

  it('skips a round either case did not run, and is undefined with none', () => {
    const a = result('a', [round(900), round(500)])
    const b = result('b', [round(1000)])
    expect(roundSpread(a, b)).toEqual({ low: 0.9, high: 0.9, se: 0 })
    expect(roundSpread(a, result('b', []))).toBeUndefined()
    expect(roundSpread(a, result('b', [round(0)]))).toBeUndefined()
  })
})

describe('targets: the deploy bundle rows (issue 9)', () => {
  it('judge the pooled ratio, and show the rounds’ spread beside it', () => {
    const cases = [
      result('pass harness', [round(2000, 0.35), round(2000, 0.35)]),
      result('rewriter-10 harness', [round(500, 1.8), round(500, 1.8)]),
      result('production no secret en', [round(1800, 0.45), round(1600, 0.45)]),
      result('production no secret fr', [round(450, 1.9), round(500, 1.9)]),
    ]
    const rows = targets(cases, undefined, undefined)
    const en = rows.find((r) => r.short === 'prod no secret en')
    const fr = rows.find((r) => r.short === 'prod no secret fr')
    expect(en?.value).toBe(
      '0.85× (CPU 1.29×: 0.450 vs 0.350 ms; rounds 0.80–0.90×, standard error 0.050)'
    )
    expect(en?.met).toBe(true)
    expect(fr?.value).toBe(
      '0.95× (extra CPU 1.07×: 1.900 vs 1.800 ms; rounds 0.90–1.00×, standard error 0.050)'
    )
    expect(fr?.met).toBe(true)
    // The secret rows were not run: not measured, so neither met nor missed.
    expect(rows.find((r) => r.short === 'prod secret en')?.met).toBeUndefined()
  })
})
