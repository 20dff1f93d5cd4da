// localTime and daypartOf: the visitor's clock from an IANA timezone, DST and boundaries included.
import { describe, expect, it } from 'vitest'
import type { Daypart, Weekday } from './fields'
import { daypartOf, isWeekend, localTime, TIME_ZONE_CACHE_LIMIT, timeZoneCacheSize } from './time'

describe('localTime', () => {
  it.each<[string, string, string, number, Weekday]>([
    // 2025-07-14 is a Monday.
    ['Paris in summer (UTC+2)', '2025-07-14T12:30:00Z', 'Europe/Paris', 14, 'monday'],
    ['Paris in winter (UTC+1)', '2025-01-13T12:30:00Z', 'Europe/Paris', 13, 'monday'],
    ['Paris, just before spring forward', '2025-03-30T00:59:00Z', 'Europe/Paris', 1, 'sunday'],
    ['Paris, spring forward skips 02:00', '2025-03-30T01:00:00Z', 'Europe/Paris', 3, 'sunday'],
    ['Paris, just before fall back', '2025-10-26T00:59:00Z', 'Europe/Paris', 2, 'sunday'],
    ['Paris, fall back repeats 02:00', '2025-10-26T01:00:00Z', 'Europe/Paris', 2, 'sunday'],
    ['New York, before DST', '2025-03-09T06:59:00Z', 'America/New_York', 1, 'sunday'],
    ['New York, after DST', '2025-03-09T07:00:00Z', 'America/New_York', 3, 'sunday'],
    [
      'New York, the day before in UTC terms',
      '2025-07-14T02:00:00Z',
      'America/New_York',
      22,
      'sunday',
    ],
    ['UTC midnight is 0, not 24', '2025-07-14T00:00:00Z', 'UTC', 0, 'monday'],
    ['UTC 23:59', '2025-07-14T23:59:59Z', 'UTC', 23, 'monday'],
    ['Kolkata (UTC+5:30), 23:59', '2025-07-14T18:29:00Z', 'Asia/Kolkata', 23, 'monday'],
    ['Kolkata (UTC+5:30), next day', '2025-07-14T18:30:00Z', 'Asia/Kolkata', 0, 'tuesday'],
    ['Kiritimati (UTC+14)', '2025-07-14T10:00:00Z', 'Pacific/Kiritimati', 0, 'tuesday'],
    ['Pago Pago (UTC-11)', '2025-07-14T10:00:00Z', 'Pacific/Pago_Pago', 23, 'sunday'],
    ['Etc/GMT-3 (UTC+3, POSIX sign)', '2025-07-14T12:00:00Z', 'Etc/GMT-3', 15, 'monday'],
    ['Sydney in its summer (UTC+11)', '2025-01-13T12:30:00Z', 'Australia/Sydney', 23, 'monday'],
  ])('%s', (_name, instant, timeZone, hour, weekday) => {
    expect(localTime(new Date(instant), timeZone)).toEqual({ hour, weekday })
  })

  it.each<[string, string]>([
    ['an unknown zone', 'Mars/Olympus_Mons'],
    ['a misspelt zone', 'Europe/Pariss'],
    ['empty', ''],
    ['an offset out of range', 'Etc/GMT+99'],
    ['a sentence', 'not a timezone at all'],
    ['too long', `Europe/${'x'.repeat(100)}`],
  ])('is undefined for %s', (_name, timeZone) => {
    expect(localTime(new Date('2025-07-14T12:00:00Z'), timeZone)).toBeUndefined()
  })

  it('is undefined for an invalid date', () => {
    expect(localTime(new Date(Number.NaN), 'Europe/Paris')).toBeUndefined()
  })

  it('is undefined for a timezone that is not a string', () => {
    expect(localTime(new Date(), 42 as unknown as string)).toBeUndefined()
  })

  it(`keeps at most ${TIME_ZONE_CACHE_LIMIT} timezones cached`, () => {
    for (let i = 0; i < TIME_ZONE_CACHE_LIMIT + 100; i++) {
      expect(localTime(new Date(), `Bad/Zone_${i}`)).toBeUndefined()
    }
    expect(timeZoneCacheSize()).toBeLessThanOrEqual(TIME_ZONE_CACHE_LIMIT)
    // A zone evicted or never seen still works.
    expect(localTime(new Date('2025-07-14T12:30:00Z'), 'Europe/Paris')).toEqual({
      hour: 14,
      weekday: 'monday',
    })
  })
})

describe('daypartOf', () => {
  it.each<[number, Daypart]>([
    [0, 'night'],
    [1, 'night'],
    [2, 'night'],
    [3, 'night'],
    [4, 'night'],
    [5, 'morning'],
    [6, 'morning'],
    [7, 'morning'],
    [8, 'morning'],
    [9, 'morning'],
    [10, 'morning'],
    [11, 'morning'],
    [12, 'afternoon'],
    [13, 'afternoon'],
    [14, 'afternoon'],
    [15, 'afternoon'],
    [16, 'afternoon'],
    [17, 'afternoon'],
    [18, 'evening'],
    [19, 'evening'],
    [20, 'evening'],
    [21, 'evening'],
    [22, 'night'],
    [23, 'night'],
  ])('hour %i is %s', (hour, daypart) => {
    expect(daypartOf(hour)).toBe(daypart)
  })

  it.each<[number, Daypart]>([
    [4.99, 'night'],
    [11.5, 'morning'],
    [-1, 'night'],
    [24, 'night'],
    [Number.NaN, 'night'],
  ])('odd hour %d is %s', (hour, daypart) => {
    expect(daypartOf(hour)).toBe(daypart)
  })
})

describe('isWeekend', () => {
  it.each<[Weekday, boolean]>([
    ['monday', false],
    ['tuesday', false],
    ['wednesday', false],
    ['thursday', false],
    ['friday', false],
    ['saturday', true],
    ['sunday', true],
  ])('%s → %s', (weekday, weekend) => {
    expect(isWeekend(weekday)).toBe(weekend)
  })
})
