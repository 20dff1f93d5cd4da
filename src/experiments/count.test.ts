// Counting: exposures only for blocks really in the page, one conversion per unit per goal, pings.
import { describe, expect, it } from 'vitest'
import { signToken } from '../visitor'
import { CURRENT, FORGED, keyringOf, NOW } from '../visitor/testing'
import type { StoredBets } from './assign'
import { assign, EXPOSED_BIT, goalBit } from './assign'
import {
  convertEvent,
  convertPage,
  countExposures,
  HOLDOUT_ID,
  leave,
  markExposures,
} from './count'
import { betConfig, compiled, cyclist } from './fixtures'
import { readPing, signPing } from './ping'

const config = compiled(betConfig({ holdout: undefined }))
const NONE = { gpc: false, bot: false, prefetch: false, preview: false }
const keyring = await keyringOf(CURRENT)

function pageView(stored: StoredBets | undefined, random = () => 0.1) {
  return assign(config.experiments, config.holdout, {
    facts: cyclist(),
    slots: new Set(['hero', 'news']),
    exclusions: NONE,
    stored,
    random,
  })
}

describe('exposures', () => {
  it('count only the slots whose element was in the streamed page', () => {
    const a = pageView(undefined)
    expect(countExposures(a, undefined, new Set(), new Set())).toEqual([])
    expect(
      countExposures(a, undefined, new Set(['news']), new Set()).map((i) => i.experiment)
    ).toEqual(['news-test'])
  })

  it('count the first exposure of a visitor unit once, through the cookie bit', () => {
    const empty: StoredBets = { experiments: {}, holdout: undefined }
    const a = pageView(empty)
    const { next, marked } = markExposures(a, empty, () => true)
    expect(next?.experiments['hero-test']?.[2]).toBe(EXPOSED_BIT)
    const first = countExposures(a, empty, new Set(['hero']), marked)
    expect(first.map((i) => i.metric)).toEqual(['views', 'units'])
    // The next page view carries the bit: a view, not a new unit.
    const b = pageView(next)
    const again = markExposures(b, next, () => true)
    expect(again.next).toBeUndefined()
    expect(countExposures(b, next, new Set(['hero']), again.marked).map((i) => i.metric)).toEqual([
      'views',
    ])
  })

  it('a block expected but absent marks nothing it does not count, and vice versa', () => {
    const empty: StoredBets = { experiments: {}, holdout: undefined }
    const a = pageView(empty)
    const { marked } = markExposures(a, empty, () => false)
    expect(marked.size).toBe(0)
    // Seen but not predicted: a view now, the unit on a later page that marks it.
    expect(countExposures(a, empty, new Set(['hero']), marked).map((i) => i.metric)).toEqual([
      'views',
    ])
  })

  it('holdout page views count once per page, members as arm 1', () => {
    const withHoldout = compiled()
    const a = assign(withHoldout.experiments, withHoldout.holdout, {
      facts: cyclist(),
      slots: new Set(['hero']),
      exclusions: NONE,
      stored: undefined,
      random: () => 0,
    })
    expect(countExposures(a, undefined, new Set(['hero']), new Set())).toEqual([
      { experiment: HOLDOUT_ID, phase: 1, arm: 1, metric: 'views' },
    ])
  })
})

describe('conversions', () => {
  const exposed: StoredBets = {
    experiments: { 'hero-test': [1, 1, EXPOSED_BIT] },
    holdout: undefined,
  }

  it('a page goal converts once per unit, however many later page views', () => {
    const first = convertPage(config.experiments, undefined, exposed, '/newsletter/thanks')
    expect(first.increments).toEqual([
      { experiment: 'hero-test', phase: 1, arm: 1, metric: 'goal:newsletter' },
    ])
    expect(first.next?.experiments['hero-test']?.[2]).toBe(EXPOSED_BIT | goalBit(1))
    for (let i = 0; i < 50; i++) {
      expect(
        convertPage(config.experiments, undefined, first.next, '/newsletter').increments
      ).toEqual([])
    }
  })

  it('nothing converts for a unit never exposed, one that left, or another page', () => {
    const unexposed: StoredBets = { experiments: { 'hero-test': [1, 1, 0] }, holdout: undefined }
    expect(convertPage(config.experiments, undefined, unexposed, '/newsletter').increments).toEqual(
      []
    )
    expect(convertPage(config.experiments, undefined, exposed, '/shop').increments).toEqual([])
    const left = leave(config.experiments, exposed, 'hero-test')
    expect(left.increments).toEqual([{ experiment: 'hero-test', phase: 1, arm: 1, metric: 'left' }])
    expect(convertPage(config.experiments, undefined, left.next, '/newsletter').increments).toEqual(
      []
    )
    expect(leave(config.experiments, left.next, 'hero-test').increments).toEqual([])
  })

  it('an event goal converts by id', () => {
    const c = compiled(
      betConfig({
        holdout: { percent: 5, goals: [{ id: 'signup', type: 'event' }] },
      })
    )
    const stored: StoredBets = { experiments: {}, holdout: [1, 1, EXPOSED_BIT] }
    const once = convertEvent(c.experiments, c.holdout, stored, 'signup')
    expect(once.increments).toEqual([
      { experiment: HOLDOUT_ID, phase: 1, arm: 1, metric: 'goal:signup' },
    ])
    expect(convertEvent(c.experiments, c.holdout, once.next, 'signup').increments).toEqual([])
  })
})

describe('click pings', () => {
  const at = { experiment: 'hero-test', phase: 1, arm: 1, goal: 0 }

  it('a genuine token reads as one click increment with its nonce', async () => {
    const token = await signPing(at, keyring, NOW, 'AAAAAAAAAAAAAAAA')
    expect(await readPing(token, config.experiments, keyring, NOW + 1000)).toEqual({
      experiment: 'hero-test',
      phase: 1,
      arm: 1,
      metric: 'goal:story',
      nonce: 'AAAAAAAAAAAAAAAA',
      nonceDay: Math.floor((NOW / 1000 + 3600) / 86_400),
    })
  })

  it('a forged, expired, re-purposed or stale token is not counted', async () => {
    const forged = await signPing(at, await keyringOf(FORGED), NOW)
    const genuine = await signPing(at, keyring, NOW)
    const visitorToken = await signToken(
      { e: 'hero-test', p: 1, a: 1, g: 0, n: 'AAAAAAAAAAAAAAAA' },
      { purpose: 'visitor', keyring, now: NOW, ttlSeconds: 3600 }
    )
    const page = await signPing({ ...at, goal: 1 }, keyring, NOW)
    const badArm = await signPing({ ...at, arm: 5 }, keyring, NOW)
    const oldPhase = await signPing({ ...at, phase: 2 }, keyring, NOW)
    for (const token of [forged, visitorToken, page, badArm, oldPhase, `${genuine}x`]) {
      expect(await readPing(token, config.experiments, keyring, NOW)).toBeUndefined()
    }
    expect(await readPing(genuine, config.experiments, keyring, NOW + 3601 * 1000)).toBeUndefined()
  })
})
