// Bots (the isbot list) and prefetches (fetch metadata) are recognised from the request alone.
import { describe, expect, it } from 'vitest'
import { isBot, isPrefetch } from './request'

const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36'

describe('isBot', () => {
  it.each([
    ['Googlebot/2.1 (+http://www.google.com/bot.html)', true],
    ['Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0 Safari/537.36', true],
    ['curl/8.5.0', true],
    [CHROME, false],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      false,
    ],
  ])('%s → %s (twice: the cached answer is the same)', (ua, bot) => {
    expect(isBot(new Headers({ 'user-agent': ua }))).toBe(bot)
    expect(isBot(new Headers({ 'user-agent': ua }))).toBe(bot)
  })

  it('no user agent is not a bot by itself', () => {
    expect(isBot(new Headers())).toBe(false)
  })
})

describe('isPrefetch', () => {
  it.each([
    [{ 'sec-purpose': 'prefetch' }, true],
    [{ 'sec-purpose': 'prefetch;prerender' }, true],
    [{ purpose: 'prefetch' }, true],
    [{ 'x-purpose': 'preview' }, true],
    [{ 'x-moz': 'prefetch' }, true],
    [{}, false],
    [{ 'sec-fetch-dest': 'document' }, false],
  ])('%j → %s', (headers, prefetch) => {
    expect(isPrefetch(new Headers(headers))).toBe(prefetch)
  })
})
