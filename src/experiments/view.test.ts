// The centre's "Tests you are part of", and who may be a sticky visitor unit.
import { describe, expect, it } from 'vitest'
import type { VisitorState } from '../visitor'
import { LEFT_BIT, OUTSIDE } from './assign'
import { testsConsentFor } from './consent'
import { betConfig, compiled, cyclist } from './fixtures'
import { holdoutWords, testsView } from './view'

const config = compiled()

/** The fixture with hero-test a bandit counting per device × daypart. */
function betConfigFor() {
  const base = betConfig() as { experiments: Record<string, unknown>[] }
  base.experiments = base.experiments.map((e, i) =>
    i === 0 ? { ...e, allocation: 'bandit', bandit: { contextBy: ['device', 'daypart'] } } : e
  )
  return compiled(base as Record<string, unknown>)
}

describe('testsView', () => {
  it("shows the holdout draw the cookie keeps, member or not, and nothing for another phase's", () => {
    const holdout = config.holdout
    expect(holdout).toBeDefined()
    const phase = holdout?.phase ?? 1
    const member = testsView(
      config.experiments,
      { experiments: {}, holdout: [phase, 1, 0] },
      cyclist(),
      holdout
    )
    expect(member.tests).toEqual([])
    expect(member.holdout).toEqual({ member: true, percent: 10 })
    expect(holdoutWords({ member: true, percent: 10 })).toMatch(
      /^You are in the holdout: like 10% of visitors, you see this site without any personalisation/
    )
    const drawnOut = testsView(
      config.experiments,
      { experiments: {}, holdout: [phase, 0, 0] },
      cyclist(),
      holdout
    )
    expect(drawnOut.holdout).toEqual({ member: false, percent: 10 })
    expect(holdoutWords({ member: false, percent: 10 })).toMatch(/not among the 10% of visitors/)
    const old = testsView(
      config.experiments,
      { experiments: {}, holdout: [phase + 1, 1, 0] },
      cyclist(),
      holdout
    )
    expect(old).not.toHaveProperty('holdout')
  })

  it('lists the tests the cookie enrols the visitor in, with why in words', () => {
    const view = testsView(
      config.experiments,
      { experiments: { 'hero-test': [1, 0, 1] }, holdout: undefined },
      cyclist()
    )
    expect(view).toEqual({
      tests: [
        {
          id: 'hero-test',
          label: 'Hero story for cyclists',
          why: 'because you chose Cycling',
        },
      ],
      pageviewTests: true,
    })
  })

  it('says in words the context a contextual bandit counts the visitor in', () => {
    const base = betConfigFor()
    const view = testsView(
      base.experiments,
      { experiments: { 'hero-test': [1, 0, 1, 2] }, holdout: undefined },
      cyclist()
    )
    expect(view.tests).toEqual([
      {
        id: 'hero-test',
        label: 'Hero story for cyclists',
        why: 'because you chose Cycling',
        context: 'on a phone, in the morning',
      },
    ])
  })

  it('leaves out tests left, outside coverage, of an old phase, or gone', () => {
    for (const entry of [
      [1, 0, LEFT_BIT],
      [1, OUTSIDE, 0],
      [2, 0, 0],
    ] as [number, number, number][]) {
      expect(
        testsView(
          config.experiments,
          { experiments: { 'hero-test': entry }, holdout: undefined },
          cyclist()
        ).tests
      ).toEqual([])
    }
    expect(
      testsView(
        config.experiments,
        { experiments: { gone: [1, 0, 0] }, holdout: undefined },
        cyclist()
      ).tests
    ).toEqual([])
  })
})

describe('testsConsentFor', () => {
  const stored: VisitorState = { prefs: {}, created: 1 }
  const outsideEu = { eu: false, country: 'US', privacySignal: false }
  it.each<
    [string, Parameters<typeof testsConsentFor>[0], 'opt-in' | 'opt-out' | undefined, boolean]
  >([
    ['no cookie: never', { stored: undefined, ...outsideEu }, 'opt-out', false],
    ['opt-out outside the EU, never asked: yes', { stored, ...outsideEu }, 'opt-out', true],
    [
      'opt-out in the EU, never asked: no',
      { stored, eu: true, country: 'FR', privacySignal: false },
      'opt-out',
      false,
    ],
    [
      'opt-out, country unknown: no',
      { stored, eu: undefined, country: undefined, privacySignal: false },
      'opt-out',
      false,
    ],
    ['opt-in (default), never asked: no', { stored, ...outsideEu }, undefined, false],
    [
      'agreed: yes',
      {
        stored: { ...stored, tests: { agreed: true, at: 1 } },
        eu: true,
        country: 'FR',
        privacySignal: false,
      },
      undefined,
      true,
    ],
    [
      'refused: no',
      { stored: { ...stored, tests: { agreed: false, at: 1 } }, ...outsideEu },
      'opt-out',
      false,
    ],
    [
      'agreed but GPC: no',
      { stored: { ...stored, tests: { agreed: true, at: 1 } }, ...outsideEu, privacySignal: true },
      undefined,
      false,
    ],
    [
      'agreed but paused: no',
      { stored: { ...stored, paused: true, tests: { agreed: true, at: 1 } }, ...outsideEu },
      undefined,
      false,
    ],
  ])('%s', (_name, input, tests, allowed) => {
    expect(testsConsentFor(input, { tests, explicitIn: ['CH'] }).allowed).toBe(allowed)
  })

  it('a listed country needs an explicit answer', () => {
    expect(
      testsConsentFor(
        { stored, eu: false, country: 'CH', privacySignal: false },
        { tests: 'opt-out', explicitIn: ['CH'] }
      )
    ).toEqual({
      answer: 'none',
      explicitRequired: true,
      allowed: false,
    })
  })
})
