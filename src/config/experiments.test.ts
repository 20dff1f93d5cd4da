// The experiments and holdout sections: pointed messages for every check the issue lists.
import { describe, expect, it } from 'vitest'
import { betConfig } from '../experiments/fixtures'
import { compileConfig } from './compile'
import { lintExperiments } from './experiments-compile'
import { formatIssues } from './issues'
import { ConfigSchema } from './schema'
import * as v from 'valibot'

type Exp = Record<string, unknown> & {
  arms: Record<string, unknown>[]
  goals: Record<string, unknown>[]
}

/** The messages of a config whose first experiment `edit` changed. */
function messages(edit: (exps: Exp[], config: Record<string, unknown>) => void): string[] {
  const config = structuredClone(betConfig())
  edit(config.experiments as Exp[], config)
  const result = compileConfig(config)
  return result.ok ? [] : formatIssues(result.issues)
}

describe('experiments config', () => {
  it('the fixture compiles; a config without the sections behaves as before', () => {
    expect(messages(() => undefined)).toEqual([])
    const plain = betConfig({ experiments: undefined, holdout: undefined })
    delete plain.experiments
    delete plain.holdout
    const result = compileConfig(plain)
    expect(result.ok && result.compiled.experiments).toEqual([])
    expect(result.ok && result.compiled.holdout).toBeUndefined()
  })

  it.each<[string, (e: Exp[], c: Record<string, unknown>) => void, string]>([
    [
      'an unknown slot',
      (e) => (e[0]!.slot = 'heor'),
      'config: experiments[0].slot: Expected a slot id ("hero", "news"). Got "heor".',
    ],
    [
      'an unknown variant',
      (e) => (e[0]!.arms[1]!.variant = 'clim'),
      'config: experiments[0].arms[1].variant: Expected a variant of slot "hero" ("ride", "climb"). Got "clim".',
    ],
    [
      'weights that sum to 0',
      (e) => e[0]!.arms.forEach((a) => (a.weight = 0)),
      'config: experiments[0].arms: Expected weights with a sum above 0: no arm can be drawn. Got all 0.',
    ],
    [
      'two running experiments on one slot',
      (e) => {
        e[1]!.slot = 'hero'
      },
      'config: experiments[1].slot: Expected one running experiment per slot. Got "news-test" and "hero-test" both on slot "hero".',
    ],
    [
      'a page goal on a page-view unit (it never matches)',
      (e) => e[1]!.goals.push({ id: 'thanks', type: 'page', path: '/thanks' }),
      'config: experiments[1].goals[1].path: Never matches: a page-view unit keeps no assignment for a later page, so a page goal cannot be attributed. Expected a click or event goal, or "unit": "visitor".',
    ],
    [
      'a goal path under /_tailor',
      (e) => (e[0]!.goals[1]!.path = '/_tailor/'),
      'config: experiments[0].goals[1].path: Never matches: Tailor answers /_tailor itself, so no page view there converts. Expected a page of the site. Got "/_tailor/".',
    ],
    [
      'a goal path with a query',
      (e) => (e[0]!.goals[1]!.path = '/newsletter?ok=1'),
      'config: experiments[0].goals[1].path: Expected a path pattern starting with "/", without "?" or "#", such as "/newsletter/thanks". Got "/newsletter?ok=1".',
    ],
    [
      'no primary goal',
      (e) => (e[0]!.goals[0]!.primary = false),
      'config: experiments[0]: Expected exactly one goal with "primary": true. Got',
    ],
    [
      'an arm showing two things',
      (e) => (e[0]!.arms[0]!.rules = true),
      'config: experiments[0].arms[0]: Expected exactly one of "variant": "<a variant id of the slot>", "rules": true or "default": true. Got',
    ],
    [
      'one arm',
      (e) => e[0]!.arms.pop(),
      'config: experiments[0].arms: Expected at least 2 arms. Got',
    ],
    [
      'a winner that is not an arm',
      (e) => Object.assign(e[0]!, { status: 'stopped', winner: 'walk' }),
      'config: experiments[0].winner: Expected one of this experiment\'s arms ("ride", "climb"). Got "walk".',
    ],
    [
      'a winner while running',
      (e) => (e[0]!.winner = 'ride'),
      'config: experiments[0].winner: Expected "winner" only with "status": "stopped". Got status "running".',
    ],
    [
      'an audience naming an unknown field',
      (e) => (e[0]!.audience = { contry: 'DE' }),
      'config: experiments[0].audience.contry: Unknown field "contry".',
    ],
    [
      'a coverage above 1',
      (e) => (e[0]!.coverage = 1.5),
      'config: experiments[0].coverage: Expected at most 1. Got 1.5.',
    ],
    [
      'a holdout of 30%',
      (_e, c) => (c.holdout = { percent: 30 }),
      'config: holdout.percent: Expected at most 20. Got 30.',
    ],
    [
      'a click goal in the holdout',
      (_e, c) => (c.holdout = { percent: 5, goals: [{ id: 'c', type: 'click', primary: true }] }),
      'config: holdout.goals: Expected page or event goals: the holdout has no block of its own to click. Got',
    ],
    [
      'a duplicate experiment id',
      (e) => (e[1]!.id = 'hero-test'),
      'config: experiments[1].id: Expected an experiment id unique in the config. Got "hero-test" twice.',
    ],
  ])('%s', (_name, edit, expected) => {
    const got = messages(edit)
    expect(got.some((m) => m.startsWith(expected))).toBe(true)
  })

  it('applies the defaults: phase 1, coverage 1, visitor unit, pageview fallback, fixed, nothing counted', () => {
    const parsed = v.parse(ConfigSchema, betConfig())
    expect(parsed.experiments[0]).toMatchObject({
      phase: 1,
      coverage: 1,
      unit: 'visitor',
      fallback: 'pageview',
      allocation: 'fixed',
      count: { gpc: false, bots: false, prefetch: false, preview: false },
    })
  })
})

describe('lintExperiments (npm run check warnings)', () => {
  it('says which arm is unreachable, that page goals need consent, and which arms have no link', () => {
    const config = v.parse(ConfigSchema, betConfig())
    config.experiments[0]!.arms[1]!.weight = 0
    expect(lintExperiments(config)).toEqual([
      {
        path: 'experiments[0].arms[1]',
        message:
          'Unreachable for new units: weight 0, so "climb" is never drawn (units already enrolled keep it). Expected a weight above 0, or remove the arm.',
      },
      {
        path: 'experiments[0].goals[1]',
        message:
          'A page goal counts only for visitors who agreed to tests: those drawn per page view (fallback "pageview") keep no assignment for a later page.',
      },
      // The fixture's variants are text: a click goal on them never counts (./experiments-links.ts).
      ...['ride', 'climb'].map((id, j) => ({
        path: `experiments[0].arms[${j}]`,
        message: `No link to click: variant "${id}" (slots.hero.variants[${j}]) replaces the block with text, so click goal "story" never counts for this arm. Expected a link (<a href>) in what the arm shows, or a page or event goal for it.`,
      })),
      {
        path: 'experiments[1].arms[0]',
        message:
          'No link to click for some visitors: this arm shows the slot\'s normal decision, and click goal "join" never counts when the rules choose variant "short" (slots.news.variants[0]), which replaces the block with text. Expected a link (<a href>) in every variant the rules may show, or a page or event goal.',
      },
    ])
  })
})

describe('bandit and report settings', () => {
  it.each<[string, (e: Exp[], c: Record<string, unknown>) => void, string]>([
    [
      'a cadence under 15 minutes',
      (e) => (e[0]!.bandit = { everyMinutes: 5 }),
      'config: experiments[0].bandit.everyMinutes: Expected at least 15. Got 5.',
    ],
    [
      'a floor under 1%',
      (e) => (e[0]!.bandit = { floor: 0.001 }),
      'config: experiments[0].bandit.floor: Expected at least 0.01. Got 0.001.',
    ],
    [
      'three context fields',
      (e) => (e[0]!.bandit = { contextBy: ['device', 'daypart', 'weekend'] }),
      'config: experiments[0].bandit.contextBy: Expected at most 2 context fields. Got',
    ],
    [
      'more than 24 cells',
      (e) => (e[0]!.bandit = { contextBy: ['continent', 'daypart'] }),
      'config: experiments[0].bandit.contextBy: Expected at most 24 cells',
    ],
    [
      'an unknown context field',
      (e) => (e[0]!.bandit = { contextBy: ['city'] }),
      'config: experiments[0].bandit.contextBy[0]: Expected "device", "daypart", "weekend", "continent", "referrer". Got "city".',
    ],
    [
      'a report minCount of 0',
      (_e, c) => (c.report = { minCount: 0 }),
      'config: report.minCount: Expected at least 1. Got 0.',
    ],
  ])('%s', (_name, edit, expected) => {
    const got = messages(edit)
    expect(
      got.some((m) => m.startsWith(expected)),
      got.join('\n')
    ).toBe(true)
  })

  it('defaults: hourly, 1% floor, no cells; report cells under 10 units hidden', () => {
    const parsed = v.parse(ConfigSchema, betConfig())
    expect(parsed.experiments[0]!.bandit).toEqual({ everyMinutes: 60, floor: 0.01, contextBy: [] })
    expect(parsed.report).toEqual({ minCount: 10 })
    const ok = structuredClone(betConfig()) as { experiments: Exp[] }
    ok.experiments[0]!.bandit = { contextBy: ['device', 'daypart'], everyMinutes: 15 }
    expect(compileConfig(ok).ok).toBe(true)
  })
})
