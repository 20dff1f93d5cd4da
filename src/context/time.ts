// The visitor's local clock: hour, weekday and daypart in their IANA timezone, via Intl.
import type { Daypart, Weekday } from './fields'

/** How many timezones keep a cached formatter; the oldest is dropped beyond this. */
export const TIME_ZONE_CACHE_LIMIT = 200

// Intl's English weekday names → catalogue values. A lookup, not `toLowerCase()`, so that an
// unexpected name gives undefined instead of a value outside WEEKDAYS.
const WEEKDAY_NAMES: Readonly<Record<string, Weekday>> = {
  Monday: 'monday',
  Tuesday: 'tuesday',
  Wednesday: 'wednesday',
  Thursday: 'thursday',
  Friday: 'friday',
  Saturday: 'saturday',
  Sunday: 'sunday',
}

// Building a DateTimeFormat costs far more than using one, so keep one per timezone. `null`
// remembers a timezone Intl rejected. Bounded: `cf.timezone` is platform data, but `localTime` is
// exported and may be fed anything.
const formatters = new Map<string, Intl.DateTimeFormat | null>()

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone)
  if (cached !== undefined) {
    return cached
  }
  let formatter: Intl.DateTimeFormat | null = null
  try {
    // `hourCycle: 'h23'` gives 0–23; `hour12: false` can give "24" at midnight in some engines.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'long',
    })
  } catch {
    // RangeError: not a timezone this runtime knows.
  }
  if (formatters.size >= TIME_ZONE_CACHE_LIMIT) {
    // Maps iterate in insertion order: the first key is the oldest entry.
    const oldest = formatters.keys().next()
    if (!oldest.done) {
      formatters.delete(oldest.value)
    }
  }
  formatters.set(timeZone, formatter)
  return formatter
}

/** How many timezones are cached now (for tests of the bound). */
// The last answer per timezone, with the minute it holds for (bounded like `formatters`).
const lastAnswer = new Map<string, { minute: number; value: { hour: number; weekday: Weekday } }>()

export function timeZoneCacheSize(): number {
  return formatters.size
}

/**
 * The local hour (0–23) and weekday at `now` in an IANA timezone, daylight saving included.
 * Undefined for a timezone the runtime does not know, or an invalid date. Never throws.
 *
 * @example
 * localTime(new Date('2025-07-14T12:30:00Z'), 'Europe/Paris') // { hour: 14, weekday: 'monday' }
 * localTime(new Date(), 'Mars/Olympus') // undefined
 */
export function localTime(
  now: Date,
  timeZone: string
): { hour: number; weekday: Weekday } | undefined {
  if (typeof timeZone !== 'string' || timeZone === '' || timeZone.length > 100) {
    return undefined
  }
  // Local hour and weekday change at most once a minute (offsets are whole minutes), and
  // formatToParts is the costliest step of reading the context: keep the last answer per zone.
  const minute = Math.floor(now.getTime() / 60_000)
  const recent = lastAnswer.get(timeZone)
  if (recent && recent.minute === minute) {
    return recent.value
  }
  const formatter = formatterFor(timeZone)
  if (!formatter) {
    return undefined
  }
  let hour: number | undefined
  let weekday: Weekday | undefined
  try {
    for (const part of formatter.formatToParts(now)) {
      if (part.type === 'hour') {
        hour = Number(part.value)
      } else if (part.type === 'weekday') {
        weekday = WEEKDAY_NAMES[part.value]
      }
    }
  } catch {
    // RangeError: an invalid Date.
    return undefined
  }
  if (hour === undefined || !Number.isInteger(hour) || hour < 0 || hour > 23 || !weekday) {
    return undefined
  }
  const value = { hour, weekday }
  if (!Number.isNaN(minute)) {
    if (lastAnswer.size >= TIME_ZONE_CACHE_LIMIT && !lastAnswer.has(timeZone)) {
      lastAnswer.clear()
    }
    lastAnswer.set(timeZone, { minute, value })
  }
  return value
}

/**
 * The coarse time of day for a local hour:
 *
 * | hours        | daypart     |
 * | ------------ | ----------- |
 * | 0–4, 22–23   | `night`     |
 * | 5–11         | `morning`   |
 * | 12–17        | `afternoon` |
 * | 18–21        | `evening`   |
 *
 * The hour is expected in 0–23; a fractional hour is rounded down, and anything outside the
 * range (or not a number) counts as `night`.
 *
 * @example daypartOf(9) // 'morning'
 * @example daypartOf(22) // 'night'
 */
export function daypartOf(hour: number): Daypart {
  const h = Math.floor(hour)
  if (h >= 5 && h <= 11) {
    return 'morning'
  }
  if (h >= 12 && h <= 17) {
    return 'afternoon'
  }
  if (h >= 18 && h <= 21) {
    return 'evening'
  }
  return 'night'
}

/** Saturday and Sunday. */
export function isWeekend(weekday: Weekday): boolean {
  return weekday === 'saturday' || weekday === 'sunday'
}
