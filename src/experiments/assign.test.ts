// Assignment: sticky visitor units, weight changes, phase bumps, exclusions, holdout, fallbacks.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context'
import type { Exclusions, StoredBets } from './assign'
import { assign, LEFT_BIT, OUTSIDE } from './assign'
import { betConfig, compiled, cyclist } from './fixtures'
import { cryptoRandom, seededRandom } from './random'

const NONE: Exclusions = { gpc: false, bot: false, prefetch: false, preview: false }
const BOTH = new Set(['hero', 'news'])
const noHoldout = () => compiled(betConfig({ holdout: undefined }))

function view(
  config = noHoldout(),
  stored: StoredBets | undefined,
  opts: { facts?: Facts; exclusions?: Partial<Exclusions>; random?: () => number } = {}
) {
  return assign(config.experiments, config.holdout, {
    facts: opts.facts ?? cyclist(),
    slots: BOTH,
    exclusions: { ...NONE, ...opts.exclusions },
    stored,
    random: opts.random ?? cryptoRandom,
  })
}

const empty = (): StoredBets => ({ experiments: {}, holdout: undefined })

describe('visitor units (consent to tests)', () => {
  it('keep their arm across 1,000 page views', () => {
    const config = noHoldout()
    const first = view(config, empty())
    const stored = first.next as StoredBets
    const arm = stored.experiments['hero-test']?.[1]
    expect(arm === 0 || arm === 1).toBe(true)
    for (let i = 0; i < 1000; i++) {
      const again = view(config, stored)
      expect(again.outcomes.find((o) => o.experiment.id === 'hero-test')?.arm).toBe(arm)
      expect(again.next).toBeUndefined()
    }
  })

  it('are not reassigned when the weights change (0 of 500 units move)', () => {
    const before = noHoldout()
    const units = Array.from({ length: 500 }, (_, i) =>
      view(before, empty(), { random: seededRandom(i) })
    ).map((a) => a.next as StoredBets)
    const skewed = betConfig({ holdout: undefined })
    const hero = (skewed.experiments as { arms: { weight: number }[] }[])[0]
    ;(hero?.arms[0] as { weight: number }).weight = 0
    ;(hero?.arms[1] as { weight: number }).weight = 100
    const after = compiled(skewed)
    let moved = 0
    let zero = 0
    for (const stored of units) {
      const arm = stored.experiments['hero-test']?.[1]
      zero += arm === 0 ? 1 : 0
      const now = view(after, stored).outcomes.find((o) => o.experiment.id === 'hero-test')
      moved += now?.arm === arm ? 0 : 1
    }
    expect(zero).toBeGreaterThan(150)
    expect(moved).toBe(0)
  })

  it('are drawn again after a phase bump (and only then)', () => {
    const config = betConfig({ holdout: undefined })
    const stored: StoredBets = { experiments: { 'hero-test': [1, 1, 1] }, holdout: undefined }
    const bumped = structuredClone(config)
    ;(bumped.experiments as { phase?: number }[])[0]!.phase = 2
    // Always the lowest draw: arm 0, whatever the cookie said in phase 1.
    const result = view(compiled(bumped), stored, { random: () => 0 })
    expect(result.next?.experiments['hero-test']).toEqual([2, 0, 0])
    expect(result.outcomes.find((o) => o.experiment.id === 'hero-test')?.arm).toBe(0)
  })

  it('stay outside when coverage left them out, and leaving stops the arm', () => {
    const config = noHoldout()
    const outside = view(config, {
      experiments: { 'hero-test': [1, OUTSIDE, 0] },
      holdout: undefined,
    })
    expect(outside.outcomes.map((o) => o.experiment.id)).toEqual(['news-test'])
    const left = view(config, {
      experiments: { 'hero-test': [1, 1, LEFT_BIT] },
      holdout: undefined,
    })
    expect(left.outcomes.map((o) => o.experiment.id)).toEqual(['news-test'])
    expect(left.next).toBeUndefined()
  })

  it('drop entries of experiments that are gone or stopped', () => {
    const stored: StoredBets = {
      experiments: { 'hero-test': [1, 0, 1], gone: [1, 1, 0] },
      holdout: [1, 0, 0],
    }
    const result = view(noHoldout(), stored)
    expect(result.next).toEqual({ experiments: { 'hero-test': [1, 0, 1] }, holdout: undefined })
  })
})

describe('never enrolled', () => {
  const cases: [string, { facts?: Facts; exclusions?: Partial<Exclusions> }][] = [
    ['an excluded visitor', { facts: { ...cyclist(), country: 'FR' } }],
    ['a visitor outside the audience', { facts: { ...cyclist(), prefs: {} } }],
    ['a GPC visitor', { exclusions: { gpc: true } }],
    ['a bot', { exclusions: { bot: true } }],
    ['a prefetch', { exclusions: { prefetch: true } }],
    ['a preview', { exclusions: { preview: true } }],
  ]
  it.each(cases)('%s: not in the hero test, nothing kept, over 200 views', (_name, opts) => {
    for (let i = 0; i < 200; i++) {
      const result = view(noHoldout(), empty(), opts)
      expect(result.outcomes.some((o) => o.experiment.id === 'hero-test')).toBe(false)
      expect(result.next).toBeUndefined()
    }
  })

  it('unless the experiment counts them (count.bots)', () => {
    const config = betConfig({ holdout: undefined })
    ;(config.experiments as { count?: object }[])[0]!.count = { bots: true }
    const result = view(compiled(config), empty(), { exclusions: { bot: true } })
    expect(result.outcomes.some((o) => o.experiment.id === 'hero-test')).toBe(true)
  })

  it('a bot is not in the holdout either', () => {
    const result = view(compiled(), empty(), { exclusions: { bot: true }, random: () => 0 })
    expect(result.holdout).toBeUndefined()
  })
})

describe('without consent to tests', () => {
  it('fallback "pageview" draws each page view and keeps nothing', () => {
    const arms = new Set<number>()
    for (let i = 0; i < 200; i++) {
      const result = view(noHoldout(), undefined)
      const hero = result.outcomes.find((o) => o.experiment.id === 'hero-test')
      expect(hero?.unit).toBe('pageview')
      arms.add(hero?.arm ?? -1)
      expect(result.next).toBeUndefined()
    }
    expect([...arms].sort()).toEqual([0, 1])
  })

  it('fallback "none" leaves the slot to its rules, uncounted', () => {
    const config = betConfig({ holdout: undefined })
    ;(config.experiments as { fallback?: string }[])[0]!.fallback = 'none'
    const result = view(compiled(config), undefined)
    expect(result.outcomes.map((o) => o.experiment.id)).toEqual(['news-test'])
  })
})

describe('status and coverage', () => {
  it('draft: nobody; stopped with a winner: everyone sees it, uncounted', () => {
    const config = betConfig({ holdout: undefined })
    const [hero, news] = config.experiments as Record<string, unknown>[]
    hero!.status = 'stopped'
    hero!.winner = 'climb'
    news!.status = 'draft'
    const result = view(compiled(config), empty())
    expect(result.outcomes).toEqual([
      expect.objectContaining({ arm: 1, unit: 'none', counted: false }),
    ])
  })

  it('coverage 0.3 enrols about 30% of units (seeded)', () => {
    const config = betConfig({ holdout: undefined })
    ;(config.experiments as { coverage?: number }[])[0]!.coverage = 0.3
    const c = compiled(config)
    const random = seededRandom(5)
    let inside = 0
    for (let i = 0; i < 10_000; i++) {
      const r = view(c, empty(), { random })
      inside += r.outcomes.some((o) => o.experiment.id === 'hero-test') ? 1 : 0
    }
    expect(inside / 10_000).toBeGreaterThan(0.28)
    expect(inside / 10_000).toBeLessThan(0.32)
  })
})

describe('holdout', () => {
  it('a member is in no experiment; the membership is sticky for a visitor unit', () => {
    const first = view(compiled(), empty(), { random: () => 0 })
    expect(first.holdout).toMatchObject({ member: true, unit: 'visitor' })
    expect(first.outcomes).toEqual([])
    expect(first.next?.holdout).toEqual([1, 1, 0])
    const later = view(compiled(), first.next, { random: () => 0.99 })
    expect(later.holdout?.member).toBe(true)
  })

  it('about 10% of page views without consent are held out', () => {
    const c = compiled()
    const random = seededRandom(9)
    let held = 0
    for (let i = 0; i < 10_000; i++) {
      held += view(c, undefined, { random }).holdout?.member ? 1 : 0
    }
    expect(held / 10_000).toBeGreaterThan(0.09)
    expect(held / 10_000).toBeLessThan(0.11)
  })
})

describe('holdout without consent to tests', () => {
  it('holds out nobody by default (fallback "none")', () => {
    const c = compiled(betConfig({ holdout: { percent: 20 } }))
    for (let i = 0; i < 200; i++) {
      const r = view(c, undefined, { random: () => 0 })
      expect(r.holdout).toBeUndefined()
      expect(r.outcomes.length).toBeGreaterThan(0)
    }
  })
})
