// The visitor's kind of device (mobile, tablet, desktop), from client hints, then the User-Agent.
import type { Device } from './fields'

/** Only this much of the User-Agent is read: every token that matters sits near its start. */
export const USER_AGENT_MAX = 512

// Plain literal alternations: each runs in time linear in the (already bounded) input.
// "Tablet" but not Windows' "Tablet PC" (a touch laptop, a desktop for our purposes).
const TABLET = /iPad|Tablet(?! PC)|PlayBook|Kindle|Silk\//
const MOBILE = /Mobi|iPhone|iPod|Opera Mini|Windows Phone|BlackBerry|BB10/
// Android without "Mobile": Android's guidance is that phones say "Mobile" and tablets do not.
const ANDROID = /Android/

/** Tablet or mobile from the User-Agent alone; undefined means it looks like a desktop. */
function fromUserAgent(userAgent: string): Device | undefined {
  // An iPad's UA also says "Mobile/15E148", so tablets are checked first.
  if (TABLET.test(userAgent)) {
    return 'tablet'
  }
  if (MOBILE.test(userAgent)) {
    return 'mobile'
  }
  if (ANDROID.test(userAgent)) {
    return 'tablet'
  }
  return undefined
}

/**
 * The kind of device, or undefined when the request says nothing (no User-Agent, no hint).
 *
 * 1. The `Sec-CH-UA-Mobile` client hint (Chromium sends it by default): `?1` → `mobile`; `?0` →
 *    not mobile, so `tablet` when the User-Agent looks like one, else `desktop`.
 * 2. Otherwise the first 512 characters of the User-Agent: iPad, "Tablet", Android without
 *    "Mobile" → `tablet`; "Mobi", iPhone, iPod, Android with "Mobile" → `mobile`; anything else,
 *    crawlers included, → `desktop` (a crawler counts as what it claims to be).
 *
 * Beware: since iPadOS 13, Safari on an iPad sends a Mac User-Agent by default and no client
 * hints, so it is reported as `desktop`. Nothing in the request tells them apart.
 *
 * @example
 * detectDevice(new Headers({ 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) … Mobile/15E148 Safari/604.1' }))
 * // 'mobile'
 */
export function detectDevice(headers: Headers): Device | undefined {
  const userAgent = (headers.get('user-agent') ?? '').slice(0, USER_AGENT_MAX)
  const hint = headers.get('sec-ch-ua-mobile')?.trim()
  if (hint === '?1') {
    return 'mobile'
  }
  if (hint === '?0') {
    return userAgent !== '' && fromUserAgent(userAgent) === 'tablet' ? 'tablet' : 'desktop'
  }
  if (userAgent.trim() === '') {
    return undefined
  }
  return fromUserAgent(userAgent) ?? 'desktop'
}
