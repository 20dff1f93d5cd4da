// What the centre says about a request and about stored preferences, in words.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context'
import { consentText, factLines, preferenceText } from './words'

const facts: Facts = {
  country: 'FR',
  eu: true,
  timezone: 'America/Argentina/Buenos_Aires',
  localHour: 19,
  daypart: 'evening',
  weekday: 'tuesday',
  device: 'mobile',
  language: 'fr',
  referrer: 'search',
  utm: { campaign: 'spring' },
  path: '/',
  returning: false,
  gpc: false,
  prefs: {},
}

describe('factLines', () => {
  it('says each fact in words', () => {
    expect(factLines(facts, false)).toEqual([
      { label: 'Country', value: 'France (FR), in the EU' },
      {
        label: 'Your local time',
        value: 'Tuesday evening, 19:00–19:59, America/Argentina/Buenos Aires time',
      },
      { label: 'Device', value: 'a phone' },
      { label: 'Language', value: 'French, from your browser’s language settings' },
      { label: 'Where you came from', value: 'a search engine' },
      { label: 'Campaign link', value: 'campaign “spring”' },
    ])
  })

  it('says "not known" for what the request lacks, and names a chosen language', () => {
    const bare: Facts = {
      utm: {},
      path: '/',
      returning: false,
      gpc: false,
      prefs: {},
      language: 'de',
    }
    expect(factLines(bare, true)).toEqual([
      { label: 'Country', value: 'not known' },
      { label: 'Your local time', value: 'not known' },
      { label: 'Device', value: 'not known' },
      { label: 'Language', value: 'German, as you chose below' },
      { label: 'Where you came from', value: 'not known' },
    ])
  })
})

describe('preferenceText', () => {
  it.each<[unknown, string]>([
    [['cycling', 'running'], 'Cycling, Running'],
    [[], 'not set'],
    [undefined, 'not set'],
  ])('a set: %j → %s', (value, text) => {
    const pref = {
      type: 'set',
      label: 'Interests',
      options: { cycling: 'Cycling', running: 'Running' },
    } as const
    expect(preferenceText(value, pref)).toBe(text)
  })

  it('a choice by its label, a boolean as yes/no, text as it is', () => {
    expect(preferenceText('fr', { type: 'choice', label: 'L', options: { fr: 'Français' } })).toBe(
      'Français'
    )
    expect(preferenceText(false, { type: 'boolean', label: 'News' })).toBe('no')
    expect(preferenceText('<b>Ana</b>', { type: 'text', label: 'Name', maxLength: 40 })).toBe(
      '<b>Ana</b>'
    )
  })
})

describe('consentText', () => {
  const base = { explicitRequired: true, privacySignal: undefined, record: false }
  it.each<[Parameters<typeof consentText>[0], number | undefined, string]>([
    [{ ...base, answer: 'granted', use: true }, 1795478400, 'On: you agreed on 24 November 2026.'],
    [
      { ...base, answer: 'withdrawn', use: false },
      1795478400,
      'Off: you said no on 24 November 2026.',
    ],
    [{ ...base, answer: 'none', use: false }, undefined, 'Off: you have not been asked yet.'],
    [
      { ...base, answer: 'none', use: true },
      undefined,
      'On by default here, because you saved something on this site. You can turn them off.',
    ],
  ])('%j', (consent, at, text) => {
    expect(consentText(consent, at, 'UTC')).toBe(text)
  })
})
