// Known counts for the demo config's experiments over 14 days, for the report's browser test.
import type { Batch, WeightsRow } from '../../src/measure'

/** A small deterministic generator, so every run draws the same counts. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Rows = Batch['rows']

/**
 * Batches for hero-cyclists (a clear leader), newsletter-wording (close), offer-box (a bandit with
 * a weights history per device), picks-order (units skewed 100:78, an SRM) and the holdout.
 */
export function seedReport(now: number): {
  batches: Batch[]
  weights: Record<string, WeightsRow[]>
} {
  const random = lcg(7)
  const today = Math.floor(now / 86_400_000)
  const days = Array.from({ length: 14 }, (_, i) => today - 13 + i)
  const noisy = (n: number) => Math.max(0, Math.round(n * (0.85 + 0.3 * random())))
  const row = (arm: number, day: number, metric: string, count: number, cell = '') => ({
    phase: 1,
    arm,
    day,
    cell,
    metric,
    count,
    sum: count,
    sumSquares: count,
  })
  const rows = (f: (day: number, i: number) => Rows): Rows =>
    days.flatMap((d, i) => f(d, i)).filter((r) => r.count > 0)

  const hero = rows((day) =>
    [0, 1].flatMap((arm) => {
      const units = noisy(95)
      const views = noisy(units * 2.1)
      return [
        row(arm, day, 'units', units),
        row(arm, day, 'views', views),
        row(arm, day, 'goal:story-click', noisy(views * (arm ? 0.056 : 0.041))),
        row(arm, day, 'goal:newsletter-page', noisy(units * (arm ? 0.07 : 0.06))),
        row(arm, day, 'left', random() < 0.3 ? 1 : 0),
      ]
    })
  )
  const letter = rows((day) =>
    [0, 1].flatMap((arm) => {
      const views = noisy(420)
      return [
        row(arm, day, 'views', views),
        row(arm, day, 'goal:letter-click', noisy(views * 0.021)),
      ]
    })
  )
  // The bandit: sale wins on desktop, guides on mobile; traffic follows the weights of each day.
  const rates: Record<string, number[]> = {
    mobile: [0.02, 0.028, 0.045],
    desktop: [0.02, 0.05, 0.03],
    tablet: [0.02, 0.03, 0.03],
  }
  const weightsOf = (cell: string, i: number): number[] => {
    if (i < 2 || cell === 'tablet') {
      return [1 / 3, 1 / 3, 1 / 3]
    }
    const t = Math.min(1, (i - 1) / 8)
    const best = cell === 'mobile' ? 2 : 1
    const w = [0, 1, 2].map((a) => (a === best ? 1 / 3 + t * 0.5 : 1 / 3 - t * 0.25))
    return w.map((x) => Math.round(x * 1e4) / 1e4)
  }
  const offer = rows((day, i) =>
    Object.entries(rates).flatMap(([cell, r]) =>
      [0, 1, 2].flatMap((arm) => {
        const views = noisy(900 * (cell === 'tablet' ? 0.15 : 0.5) * weightsOf(cell, i)[arm]!)
        return [
          row(arm, day, 'units', Math.round(views / 2), cell),
          row(arm, day, 'views', views, cell),
          row(arm, day, 'goal:offer-click', noisy(views * r[arm]!), cell),
        ]
      })
    )
  )
  const history: WeightsRow[] = days.flatMap((day, i) =>
    ['', 'mobile', 'desktop', 'tablet'].map((cell) => {
      const w =
        cell === ''
          ? [0, 1, 2].map(
              (a) => 0.4 * weightsOf('mobile', i)[a]! + 0.6 * weightsOf('desktop', i)[a]!
            )
          : weightsOf(cell, i)
      return {
        minute: day * 1440,
        phase: 1,
        cell,
        mode: i < 2 ? ('burn-in' as const) : ('thompson' as const),
        weights: w,
      }
    })
  )
  const picks = rows((day) =>
    [0, 1].flatMap((arm) => {
      const units = noisy(arm ? 78 : 100)
      return [
        row(arm, day, 'units', units),
        row(arm, day, 'views', noisy(units * 1.8)),
        row(arm, day, 'goal:picks-click', noisy(units * 0.08)),
      ]
    })
  )
  const holdout = rows((day) =>
    [0, 1].flatMap((arm) => {
      const units = noisy(arm ? 21 : 400)
      return [
        row(arm, day, 'units', units),
        row(arm, day, 'views', noisy(units * 2.4)),
        row(arm, day, 'goal:newsletter-page', noisy(units * (arm ? 0.052 : 0.068))),
      ]
    })
  )
  return {
    batches: [
      { experiment: 'hero-cyclists', rows: hero, pings: [] },
      { experiment: 'newsletter-wording', rows: letter, pings: [] },
      {
        experiment: 'offer-box',
        rows: offer,
        pings: [],
        bandit: {
          phase: 1,
          arms: 3,
          goal: 'goal:offer-click',
          per: 'views',
          everyMinutes: 60,
          floor: 0.05,
          cells: true,
        },
      },
      { experiment: 'picks-order', rows: picks, pings: [] },
      { experiment: '_holdout', rows: holdout, pings: [] },
    ],
    weights: { 'offer-box': history },
  }
}
