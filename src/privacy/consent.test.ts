// Consent tiers: who is read, who is recorded, and how GPC, DNT, region and pause change it.
import { describe, expect, it } from 'vitest'
import type { ConsentOptions } from '../config'
import type { VisitorState } from '../visitor'
import type { ConsentInput, ConsentState } from './consent'
import { consentFor, pausedDecisions } from './consent'

const OPT_IN: ConsentOptions = { signals: 'opt-in', explicitIn: [], honourDnt: true, gpcJson: true }
const OPT_OUT: ConsentOptions = { ...OPT_IN, signals: 'opt-out', explicitIn: ['CH'] }

const cookie: VisitorState = { prefs: {}, created: 1 }
const granted: VisitorState = { ...cookie, consent: { signals: true, at: 2 } }
const refused: VisitorState = { ...cookie, consent: { signals: false, at: 2 } }
const pausedGranted: VisitorState = { ...granted, paused: true }

const US = { eu: false, country: 'US', gpc: false, dnt: false }
const FR = { eu: true, country: 'FR', gpc: false, dnt: false }
const CH = { eu: false, country: 'CH', gpc: false, dnt: false }
const NOWHERE = { eu: undefined, country: undefined, gpc: false, dnt: false }

type Row = [
  string,
  ConsentOptions,
  VisitorState | undefined,
  Omit<ConsentInput, 'stored'>,
  Pick<ConsentState, 'answer' | 'use' | 'record'>,
]

describe('consentFor', () => {
  it.each<Row>([
    // Tier 0: no cookie, nothing, whatever the mode.
    ['no cookie, opt-in', OPT_IN, undefined, US, { answer: 'none', use: false, record: false }],
    ['no cookie, opt-out', OPT_OUT, undefined, US, { answer: 'none', use: false, record: false }],
    // Opt-in: only an explicit yes.
    ['opt-in, never asked', OPT_IN, cookie, US, { answer: 'none', use: false, record: false }],
    ['opt-in, agreed', OPT_IN, granted, US, { answer: 'granted', use: true, record: true }],
    [
      'opt-in, agreed, in the EU',
      OPT_IN,
      granted,
      FR,
      { answer: 'granted', use: true, record: true },
    ],
    ['opt-in, refused', OPT_IN, refused, US, { answer: 'withdrawn', use: false, record: false }],
    // Opt-out: a cookie holder outside the EU is recorded until they say no…
    ['opt-out, never asked, US', OPT_OUT, cookie, US, { answer: 'none', use: true, record: true }],
    [
      'opt-out, refused, US',
      OPT_OUT,
      refused,
      US,
      { answer: 'withdrawn', use: false, record: false },
    ],
    // …but never where consent must be explicit.
    [
      'opt-out, never asked, EU',
      OPT_OUT,
      cookie,
      FR,
      { answer: 'none', use: false, record: false },
    ],
    [
      'opt-out, never asked, listed CH',
      OPT_OUT,
      cookie,
      CH,
      { answer: 'none', use: false, record: false },
    ],
    [
      'opt-out, never asked, unknown place',
      OPT_OUT,
      cookie,
      NOWHERE,
      { answer: 'none', use: false, record: false },
    ],
    ['opt-out, agreed, EU', OPT_OUT, granted, FR, { answer: 'granted', use: true, record: true }],
    // GPC: never recorded; an explicit yes still uses what is kept; a default opt-out does not.
    [
      'GPC, agreed',
      OPT_IN,
      granted,
      { ...US, gpc: true },
      { answer: 'granted', use: true, record: false },
    ],
    [
      'GPC, opt-out default',
      OPT_OUT,
      cookie,
      { ...US, gpc: true },
      { answer: 'none', use: false, record: false },
    ],
    // DNT like GPC, unless the config says otherwise.
    [
      'DNT, agreed',
      OPT_IN,
      granted,
      { ...US, dnt: true },
      { answer: 'granted', use: true, record: false },
    ],
    [
      'DNT, opt-out default',
      OPT_OUT,
      cookie,
      { ...US, dnt: true },
      { answer: 'none', use: false, record: false },
    ],
    [
      'DNT not honoured, agreed',
      { ...OPT_IN, honourDnt: false },
      granted,
      { ...US, dnt: true },
      { answer: 'granted', use: true, record: true },
    ],
    // Paused: nothing recorded.
    ['paused, agreed', OPT_IN, pausedGranted, US, { answer: 'granted', use: true, record: false }],
  ])('%s', (_name, options, stored, request, expected) => {
    expect(consentFor({ stored, ...request }, options)).toMatchObject(expected)
  })

  it.each<[string, ConsentOptions, Omit<ConsentInput, 'stored'>, boolean]>([
    ['opt-in anywhere', OPT_IN, US, true],
    ['opt-out in the US', OPT_OUT, US, false],
    ['opt-out in the EU', OPT_OUT, FR, true],
    ['opt-out in a listed country', OPT_OUT, CH, true],
    ['opt-out where the place is unknown', OPT_OUT, NOWHERE, true],
  ])('explicit consent required: %s → %s', (_name, options, request, required) => {
    expect(consentFor({ stored: cookie, ...request }, options).explicitRequired).toBe(required)
  })

  it.each<[Omit<ConsentInput, 'stored'>, ConsentOptions, string | undefined]>([
    [{ ...US, gpc: true, dnt: true }, OPT_IN, 'gpc'],
    [{ ...US, dnt: true }, OPT_IN, 'dnt'],
    [{ ...US, dnt: true }, { ...OPT_IN, honourDnt: false }, undefined],
    [US, OPT_IN, undefined],
  ])('privacy signal %j → %s', (request, options, signal) => {
    expect(consentFor({ stored: granted, ...request }, options).privacySignal).toBe(signal)
  })
})

describe('pausedDecisions', () => {
  it('keeps every slot and drops every variant', () => {
    const slot = { id: 's' } as never
    const variant = { id: 'v' } as never
    expect(
      pausedDecisions([
        { slot, variant },
        { slot, variant: undefined },
      ])
    ).toEqual([
      { slot, variant: undefined },
      { slot, variant: undefined },
    ])
  })
})
