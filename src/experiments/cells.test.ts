// Context cells: a contextual bandit's draws use its cell's weights, and every count lands in the unit's cell.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context'
import { CONTEXT_FIELDS, MAX_BANDIT_CELLS } from '../config'
import { MAX_STORED_CELL } from '../visitor/state'
import { CURRENT, keyringOf, NOW } from '../visitor/testing'
import type { StoredBets } from './assign'
import { assign, EXPOSED_BIT } from './assign'
import { CELL_VALUES, cellIndex, cellWords } from './cells'
import { convertEvent, convertPage, countExposures, leave, markExposures } from './count'
import { betConfig, compiled, cyclist } from './fixtures'
import { pingLinks } from './links'
import { readPing } from './ping'

const BY = ['device', 'daypart']

/** betConfig with hero-test a contextual bandit (device × daypart) and an event goal. */
function banditConfig(contextBy: string[] = BY) {
  const base = betConfig({ holdout: undefined }) as { experiments: Record<string, unknown>[] }
  const [hero, news] = base.experiments as [Record<string, unknown>, Record<string, unknown>]
  base.experiments = [
    {
      ...hero,
      allocation: 'bandit',
      bandit: { contextBy },
      goals: [...(hero.goals as unknown[]), { id: 'signup', type: 'event' }],
    },
    { ...news, allocation: 'bandit', bandit: { contextBy } },
  ]
  return compiled(base as Record<string, unknown>)
}

const NONE = { gpc: false, bot: false, prefetch: false, preview: false }
const at = (over: Partial<Facts>): Facts => ({ ...cyclist(), ...over })
const MOBILE_MORNING = at({ device: 'mobile', daypart: 'morning' })
const DESKTOP_EVENING = at({ device: 'desktop', daypart: 'evening' })
const mobileMorning = cellIndex(BY, MOBILE_MORNING)

function pageView(
  config: ReturnType<typeof banditConfig>,
  stored: StoredBets | undefined,
  facts: Facts,
  bounds?: (cell: string) => readonly number[] | undefined
) {
  return assign(config.experiments, config.holdout, {
    facts,
    slots: new Set(['hero', 'news']),
    exclusions: NONE,
    stored,
    random: () => 0.5,
    bounds: bounds && ((_exp, cell) => bounds(cell)),
  })
}

describe('cell values', () => {
  it("fit the cookie: the highest index a cookie entry may hold is the config's most cells", () => {
    expect(MAX_STORED_CELL).toBe(MAX_BANDIT_CELLS)
  })

  it('match the config: as many values per field as its schema says', () => {
    expect(Object.keys(CELL_VALUES).sort()).toEqual(Object.keys(CONTEXT_FIELDS).sort())
    for (const [field, count] of Object.entries(CONTEXT_FIELDS)) {
      expect(CELL_VALUES[field]).toHaveLength(count)
    }
  })
})

describe('cell words', () => {
  it('say what a cell index stands for, for the visitor', () => {
    expect(cellWords(BY, mobileMorning)).toBe('on a phone, in the morning')
    expect(cellWords(['continent'], 4)).toBe('in Europe')
    expect(cellWords(['referrer', 'weekend'], 12)).toBe('directly, at the weekend')
    expect(cellWords(BY, 0)).toBeUndefined()
    // Every value of every field has its words.
    for (const field of Object.keys(CELL_VALUES)) {
      for (let i = 1; i <= (CELL_VALUES[field]?.length ?? 0); i++) {
        expect(cellWords([field], i)).toMatch(/^(?:on|in|at|from|directly)\b/)
      }
    }
  })
})

describe('assignment', () => {
  it('draws a new unit with its cell’s weights, and keeps the cell in the entry', () => {
    const config = banditConfig()
    const seen: string[] = []
    // Arm 1 owns mobile/morning, arm 0 desktop/evening: the draw follows the cell.
    const bounds = (cell: string) => {
      seen.push(cell)
      return cell === 'mobile/morning' ? [0.01, 1] : [0.99, 1]
    }
    const empty: StoredBets = { experiments: {}, holdout: undefined }
    const mobile = pageView(config, empty, MOBILE_MORNING, bounds)
    expect(seen).toEqual(['mobile/morning', 'mobile/morning'])
    expect(mobile.next?.experiments['hero-test']).toEqual([1, 1, 0, mobileMorning])
    expect(mobile.outcomes.map((o) => [o.experiment.id, o.arm, o.cell])).toEqual([
      ['hero-test', 1, mobileMorning],
      ['news-test', 1, mobileMorning],
    ])
    const desktop = pageView(config, empty, DESKTOP_EVENING, bounds)
    expect(desktop.outcomes.map((o) => o.arm)).toEqual([0, 0])
  })

  it('never moves an enrolled unit: arm and cell stay, whatever the context and the weights', () => {
    const config = banditConfig()
    const stored: StoredBets = {
      experiments: { 'hero-test': [1, 1, EXPOSED_BIT, mobileMorning] },
      holdout: undefined,
    }
    const later = pageView(config, stored, DESKTOP_EVENING, () => [0.99, 1])
    const hero = later.outcomes.find((o) => o.experiment.id === 'hero-test')
    expect(hero).toMatchObject({ arm: 1, unit: 'visitor', cell: mobileMorning })
    // Nothing to rewrite: the cookie keeps [phase, arm, bits, cell] as it was.
    expect(later.next).toBeUndefined()
  })

  it('an unknown context is the pooled cell: no cell in the entry, "" to the weights', () => {
    const config = banditConfig()
    const seen: string[] = []
    const empty: StoredBets = { experiments: {}, holdout: undefined }
    const a = pageView(config, empty, at({ device: 'mobile' }), (cell) => {
      seen.push(cell)
      return undefined
    })
    expect(seen).toEqual(['', ''])
    expect(a.next?.experiments['hero-test']).toHaveLength(3)
    expect(a.outcomes.every((o) => o.cell === undefined)).toBe(true)
  })

  it('a fixed experiment has no cells, even with bandit.contextBy written', () => {
    const base = betConfig({ holdout: undefined }) as { experiments: Record<string, unknown>[] }
    base.experiments = base.experiments.map((e) => ({ ...e, bandit: { contextBy: BY } }))
    const config = compiled(base as Record<string, unknown>)
    const a = assign(config.experiments, undefined, {
      facts: MOBILE_MORNING,
      slots: new Set(['hero', 'news']),
      exclusions: NONE,
      stored: { experiments: {}, holdout: undefined },
      random: () => 0.5,
    })
    expect(a.next?.experiments['hero-test']).toEqual([1, 1, 0])
    expect(a.outcomes.every((o) => o.cell === undefined)).toBe(true)
  })
})

describe('counting in the unit’s cell', () => {
  const config = banditConfig()
  const empty: StoredBets = { experiments: {}, holdout: undefined }

  it('exposures: a visitor unit in its enrolment cell, a page view in its own', () => {
    const first = pageView(config, empty, MOBILE_MORNING)
    const { next, marked } = markExposures(first, empty, () => true)
    expect(next?.experiments['hero-test']).toEqual([1, 1, EXPOSED_BIT, mobileMorning])
    const counted = countExposures(first, empty, new Set(['hero', 'news']), marked)
    expect(counted.map((i) => `${i.experiment} ${i.metric} ${i.cell}`)).toEqual([
      'hero-test views mobile/morning',
      'hero-test units mobile/morning',
      'news-test views mobile/morning',
    ])
    // Later, on a desktop in the evening: the unit's views stay in its cell, the page view's move.
    const later = pageView(config, next, DESKTOP_EVENING)
    const again = countExposures(later, next, new Set(['hero', 'news']), new Set())
    expect(again.map((i) => `${i.experiment} ${i.metric} ${i.cell}`)).toEqual([
      'hero-test views mobile/morning',
      'news-test views desktop/evening',
    ])
  })

  it('page goals, event goals and leaving: the enrolment cell, and the cell stays in the cookie', () => {
    const stored: StoredBets = {
      experiments: { 'hero-test': [1, 0, EXPOSED_BIT, mobileMorning] },
      holdout: undefined,
    }
    const page = convertPage(config.experiments, undefined, stored, '/newsletter')
    expect(page.increments).toEqual([
      {
        experiment: 'hero-test',
        phase: 1,
        arm: 0,
        metric: 'goal:newsletter',
        cell: 'mobile/morning',
      },
    ])
    expect(page.next?.experiments['hero-test']?.[3]).toBe(mobileMorning)
    const event = convertEvent(config.experiments, undefined, page.next, 'signup')
    expect(event.increments).toEqual([
      { experiment: 'hero-test', phase: 1, arm: 0, metric: 'goal:signup', cell: 'mobile/morning' },
    ])
    expect(event.next?.experiments['hero-test']?.[3]).toBe(mobileMorning)
    const left = leave(config.experiments, event.next, 'hero-test')
    expect(left.increments).toEqual([
      { experiment: 'hero-test', phase: 1, arm: 0, metric: 'left', cell: 'mobile/morning' },
    ])
    expect(left.next?.experiments['hero-test']?.[3]).toBe(mobileMorning)
  })

  it('an entry written before cells (no fourth field) counts in the pooled cell, as it did', () => {
    const stored: StoredBets = {
      experiments: { 'hero-test': [1, 0, EXPOSED_BIT] },
      holdout: undefined,
    }
    const page = convertPage(config.experiments, undefined, stored, '/newsletter')
    expect(page.increments[0]).not.toHaveProperty('cell')
    expect(page.next?.experiments['hero-test']).toEqual([1, 0, EXPOSED_BIT | 8])
  })

  it('click pings: the token carries the page view’s cell, the ping counts there', async () => {
    const keyring = await keyringOf(CURRENT)
    const stored: StoredBets = {
      experiments: { 'hero-test': [1, 1, EXPOSED_BIT, mobileMorning] },
      holdout: undefined,
    }
    // The page view comes from a desktop in the evening: the unit's click still counts in its
    // enrolment cell, the page-view unit's click in this page view's cell.
    const a = pageView(config, stored, DESKTOP_EVENING)
    const selectors: Record<string, string> = { hero: '#hero', news: '#news' }
    const links = await pingLinks(a, (slot) => selectors[slot], keyring, NOW)
    const incs = await Promise.all(
      links.map((l) =>
        readPing(l.url.slice(l.url.lastIndexOf('/') + 1), config.experiments, keyring, NOW)
      )
    )
    expect(incs.map((i) => `${i?.experiment} ${i?.metric} ${i?.cell}`)).toEqual([
      'hero-test goal:story mobile/morning',
      'news-test goal:join desktop/evening',
    ])
    // A token whose cell index the config's fields no longer have counts in the pooled cell.
    const narrower = banditConfig(['weekend'])
    const news = links[1]!.url
    const read = await readPing(
      news.slice(news.lastIndexOf('/') + 1),
      narrower.experiments,
      keyring,
      NOW
    )
    expect(read).toMatchObject({ experiment: 'news-test', metric: 'goal:join' })
    expect(read).not.toHaveProperty('cell')
  })
})

describe('compiling', () => {
  it('a page reads the contextBy fields, even when no rule names them', () => {
    const base = compiled(betConfig({ holdout: undefined }))
    expect(base.fields?.has('daypart')).toBe(false)
    const config = banditConfig()
    expect(config.fields?.has('device')).toBe(true)
    expect(config.fields?.has('daypart')).toBe(true)
  })
})
