// What in a request keeps it out of tests by default: a bot's user agent, a prefetch or prerender.
import { isbot } from 'isbot'

/**
 * A user agent the maintained `isbot` list recognises (crawlers, link previews, headless
 * browsers, monitors). Hand-made regexes go stale; this list is updated with each release.
 * @example isBot(new Headers({ 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' })) // true
 */
export function isBot(headers: Headers): boolean {
  const ua = headers.get('user-agent') ?? ''
  let bot = seen.get(ua)
  if (bot === undefined) {
    bot = isbot(ua)
    // A handful of user agents make most of the traffic: the list's big regex runs once each.
    if (seen.size >= 256) {
      seen.clear()
    }
    seen.set(ua, bot)
  }
  return bot
}

const seen = new Map<string, boolean>()

// Fetch metadata: `Sec-Purpose: prefetch` (and `prefetch;prerender`), the older `Purpose:
// prefetch` (Chrome), `X-Purpose: preview` (Safari's top sites), `X-Moz: prefetch` (Firefox).
const PREFETCH = /\b(?:prefetch|prerender|preview)\b/i

/**
 * A request the browser made ahead of a navigation that may never happen (prefetch, prerender):
 * a page view that may never be seen, so it is neither enrolled nor counted.
 * @example isPrefetch(new Headers({ 'sec-purpose': 'prefetch;prerender' })) // true
 */
export function isPrefetch(headers: Headers): boolean {
  for (const name of ['sec-purpose', 'purpose', 'x-purpose', 'x-moz']) {
    const value = headers.get(name)
    if (value !== null && PREFETCH.test(value)) {
      return true
    }
  }
  return false
}
