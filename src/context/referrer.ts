// Where the visitor came from, as a kind (search, social, email…); the referring URL is never kept.
import type { ReferrerKind } from './fields'

/** Longest Referer read; the host sits at its start, so the rest is never needed. */
export const REFERER_MAX = 2048

// Checked before search: mail.google.com and mail.yahoo.com would otherwise count as search.
const EMAIL_DOMAINS = [
  'mail.google.com',
  'outlook.live.com',
  'outlook.office.com',
  'outlook.office365.com',
  'mail.yahoo.com',
]
const SEARCH_DOMAINS = [
  'bing.com',
  'duckduckgo.com',
  'search.yahoo.com',
  'baidu.com',
  'ecosia.org',
  'qwant.com',
  'startpage.com',
  'search.brave.com',
]
/** Brands under many country domains: google.de, google.co.uk, yandex.com.tr… */
const SEARCH_BRANDS = ['google', 'yahoo', 'yandex']
const SOCIAL_DOMAINS = [
  'facebook.com',
  't.co',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'lnkd.in',
  'instagram.com',
  'reddit.com',
  'youtube.com',
  'youtu.be',
  'tiktok.com',
  'threads.net',
  'threads.com',
  'bsky.app',
  'mastodon.social',
]
const SOCIAL_BRANDS = ['pinterest']

// The second-level labels under which country-code domains register names: google.co.uk,
// yandex.com.tr, google.com.au. Any other label between the brand and the TLD ("google.evil.io")
// means the brand is not the registrable name.
const SECOND_LEVELS: ReadonlySet<string> = new Set(['co', 'com', 'net', 'org', 'ac', 'or', 'ne'])
const TLD = /^[a-z]{2,6}$/
const COUNTRY_TLD = /^[a-z]{2}$/

/** `host` is `domain` or a subdomain of it: "l.facebook.com" is under "facebook.com". */
function under(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

/**
 * The registrable-ish brand of a host: "google" for "www.google.co.uk" or "google.de", or
 * undefined. A small stand-in for the Public Suffix List, good enough for the brands above.
 */
function brandOf(host: string): string | undefined {
  const labels = host.split('.')
  const tld = labels.at(-1) ?? ''
  if (!TLD.test(tld)) {
    return undefined
  }
  const second = labels.at(-2)
  const third = labels.at(-3)
  if (
    second !== undefined &&
    third !== undefined &&
    SECOND_LEVELS.has(second) &&
    COUNTRY_TLD.test(tld)
  ) {
    return third
  }
  return second
}

/** The kind of a referring host, or undefined when it is none of the known ones. */
function kindOfHost(host: string): ReferrerKind | undefined {
  if (EMAIL_DOMAINS.some((d) => under(host, d))) {
    return 'email'
  }
  const brand = brandOf(host)
  if (SEARCH_DOMAINS.some((d) => under(host, d)) || (brand && SEARCH_BRANDS.includes(brand))) {
    return 'search'
  }
  if (SOCIAL_DOMAINS.some((d) => under(host, d)) || (brand && SOCIAL_BRANDS.includes(brand))) {
    return 'social'
  }
  return undefined
}

/**
 * Classify the `Referer` header, in this order:
 *
 * 1. absent or empty → `none` (unless `utmMedium` is "email", below);
 * 2. the request's own hostname (any port) → `internal`;
 * 3. webmail (mail.google.com, outlook.live.com, outlook.office.com, mail.yahoo.com) → `email`;
 * 4. search engines (google.*, bing.com, duckduckgo.com, yahoo.*, yandex.*, baidu.com,
 *    ecosia.org, qwant.com, startpage.com, search.brave.com) → `search`;
 * 5. social networks (facebook.com, t.co, x.com, twitter.com, linkedin.com, lnkd.in,
 *    instagram.com, reddit.com, pinterest.*, youtube.com, tiktok.com, threads.net, bsky.app,
 *    mastodon.social) → `social`;
 * 6. otherwise `email` when `utmMedium` is "email" (mail clients send no Referer), else `other`
 *    (which includes an unparseable Referer and non-web schemes such as `android-app:`).
 *
 * A domain matches itself and its subdomains (`www.google.co.uk`, `l.facebook.com`); a lookalike
 * does not (`notgoogle.com`, `google.com.evil.io`, `xt.co`). Hostnames compare without case and
 * without a trailing dot. The result is only the kind: the referring URL is not kept anywhere.
 *
 * @example
 * classifyReferrer('https://www.google.co.uk/', new URL('https://shop.example/')) // 'search'
 * classifyReferrer(null, new URL('https://shop.example/?utm_medium=email'), 'email') // 'email'
 */
export function classifyReferrer(
  referer: string | null,
  url: URL,
  utmMedium?: string
): ReferrerKind {
  const fromEmail = typeof utmMedium === 'string' && utmMedium.trim().toLowerCase() === 'email'
  const text = typeof referer === 'string' ? referer.trim().slice(0, REFERER_MAX) : ''
  if (text === '') {
    return fromEmail ? 'email' : 'none'
  }
  let host: string
  try {
    const parsed = new URL(text)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return fromEmail ? 'email' : 'other'
    }
    host = parsed.hostname.toLowerCase().replace(/\.$/, '')
  } catch {
    return fromEmail ? 'email' : 'other'
  }
  if (host === '') {
    return fromEmail ? 'email' : 'other'
  }
  if (host === url.hostname.toLowerCase().replace(/\.$/, '')) {
    return 'internal'
  }
  return kindOfHost(host) ?? (fromEmail ? 'email' : 'other')
}
