// Plain words for what the centre shows: request facts, stored preferences, dates, scores.
import type { Preference } from '../config'
import { factToText } from '../config'
import type { Device, Facts, ReferrerKind } from '../context'
import type { ConsentState } from '../privacy'

const DEVICE_WORDS: Record<Device, string> = {
  mobile: 'a phone',
  tablet: 'a tablet',
  desktop: 'a computer',
}

const REFERRER_WORDS: Record<ReferrerKind, string> = {
  search: 'a search engine',
  social: 'a social network',
  email: 'an email',
  internal: 'another page of this site',
  other: 'another website',
  none: 'nowhere in particular (a bookmark, or an address you typed)',
}

/** One line of "what we read": a label and the words for the visitor's value. */
export type FactLine = { label: string; value: string }

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code
  } catch {
    return code
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * What Tailor read from the request, in words: country, local time, device, language, where the
 * visitor came from, a campaign. Values a request lacks say "not known".
 * @example factLines(facts, false)[0] // { label: 'Country', value: 'France (FR), in the EU' }
 */
export function factLines(facts: Facts, languageChosen: boolean): FactLine[] {
  const lines: FactLine[] = []
  let country = 'not known'
  if (facts.country && facts.country !== 'XX' && facts.country !== 'T1') {
    const eu = facts.eu === true ? ', in the EU' : facts.eu === false ? ', outside the EU' : ''
    country = `${regionName(facts.country)} (${facts.country})${eu}`
  }
  lines.push({ label: 'Country', value: country })
  let time = 'not known'
  if (facts.daypart && facts.localHour !== undefined && facts.weekday) {
    const hour = String(facts.localHour).padStart(2, '0')
    const zone = facts.timezone ? `, ${facts.timezone.replace(/_/g, ' ')} time` : ''
    time = `${capitalise(facts.weekday)} ${facts.daypart}, ${hour}:00–${hour}:59${zone}`
  }
  lines.push({ label: 'Your local time', value: time })
  lines.push({ label: 'Device', value: facts.device ? DEVICE_WORDS[facts.device] : 'not known' })
  const language = facts.language ? languageName(facts.language) : 'not known'
  lines.push({
    label: 'Language',
    value: facts.language
      ? `${language}, ${languageChosen ? 'as you chose below' : 'from your browser’s language settings'}`
      : language,
  })
  lines.push({
    label: 'Where you came from',
    value: facts.referrer ? REFERRER_WORDS[facts.referrer] : 'not known',
  })
  const utm = Object.entries(facts.utm).filter(([, v]) => v !== undefined)
  if (utm.length) {
    lines.push({
      label: 'Campaign link',
      value: utm.map(([k, v]) => `${k} “${v}”`).join(', '),
    })
  }
  return lines
}

/**
 * A stored preference in words: option labels, "yes"/"no", or "not set".
 * @example preferenceText(['cycling'], { type: 'set', label: 'Interests', options: { cycling: 'Cycling' } }) // 'Cycling'
 */
export function preferenceText(value: unknown, pref: Preference): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    return 'not set'
  }
  const labels = pref.type === 'set' || pref.type === 'choice' ? pref.options : undefined
  const text = factToText(value, { type: 'string', noun: pref.label, labels })
  return text || 'not set'
}

/** The visitor's answer about reading signals, in words. */
export function consentText(
  consent: ConsentState,
  at: number | undefined,
  timeZone?: string
): string {
  const when = at === undefined ? '' : ` on ${dateText(at * 1000, timeZone)}`
  switch (consent.answer) {
    case 'granted':
      return `On: you agreed${when}.`
    case 'withdrawn':
      return `Off: you said no${when}.`
    case 'none':
      return consent.use
        ? 'On by default here, because you saved something on this site. You can turn them off.'
        : 'Off: you have not been asked yet.'
  }
}

/** A date the way people read it: "24 November 2026", in the visitor's timezone when known. */
export function dateText(ms: number, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: timeZone ?? 'UTC' }).format(ms)
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' }).format(ms)
  }
}

/** A score with at most one decimal: 2, 2.5. */
export function scoreText(score: number): string {
  return String(Math.round(score * 10) / 10)
}
