// classifyReferrer: the Referer header as a kind, with subdomains, lookalikes and odd values.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ReferrerKind } from './fields'
import { REFERRER_KINDS } from './fields'
import { classifyReferrer } from './referrer'

const PAGE = new URL('https://shop.example/bikes?utm_source=x')

describe('classifyReferrer', () => {
  it.each<[string, string | null, ReferrerKind]>([
    // none
    ['absent', null, 'none'],
    ['empty', '', 'none'],
    ['blank', '   ', 'none'],
    // internal
    ['same host', 'https://shop.example/', 'internal'],
    ['same host, other path and query', 'https://shop.example/cart?id=1#x', 'internal'],
    ['same host, other scheme', 'http://shop.example/', 'internal'],
    ['same host, other port', 'https://shop.example:8443/', 'internal'],
    ['same host, upper case', 'https://SHOP.EXAMPLE/', 'internal'],
    ['same host, trailing dot', 'https://shop.example./', 'internal'],
    ['a sibling subdomain is not internal', 'https://blog.shop.example/', 'other'],
    ['the parent domain is not internal', 'https://example/', 'other'],
    // search
    ['google.com', 'https://www.google.com/', 'search'],
    ['google.co.uk', 'https://www.google.co.uk/', 'search'],
    ['google.de', 'https://www.google.de/', 'search'],
    ['google.com.au', 'https://www.google.com.au/search?q=bikes', 'search'],
    ['google, bare', 'https://google.fr/', 'search'],
    ['bing.com', 'https://www.bing.com/', 'search'],
    ['cn.bing.com', 'https://cn.bing.com/', 'search'],
    ['duckduckgo.com', 'https://duckduckgo.com/', 'search'],
    ['search.yahoo.com', 'https://search.yahoo.com/', 'search'],
    ['uk.search.yahoo.com', 'https://uk.search.yahoo.com/', 'search'],
    ['yahoo.co.jp', 'https://search.yahoo.co.jp/', 'search'],
    ['baidu.com', 'https://www.baidu.com/', 'search'],
    ['yandex.ru', 'https://yandex.ru/', 'search'],
    ['yandex.com.tr', 'https://yandex.com.tr/', 'search'],
    ['ecosia.org', 'https://www.ecosia.org/', 'search'],
    ['qwant.com', 'https://www.qwant.com/', 'search'],
    ['startpage.com', 'https://www.startpage.com/', 'search'],
    ['search.brave.com', 'https://search.brave.com/', 'search'],
    // social
    ['facebook.com', 'https://www.facebook.com/', 'social'],
    ['m.facebook.com', 'https://m.facebook.com/', 'social'],
    ['l.facebook.com', 'https://l.facebook.com/l.php?u=x', 'social'],
    ['t.co', 'https://t.co/abc', 'social'],
    ['twitter.com', 'https://twitter.com/', 'social'],
    ['x.com', 'https://x.com/', 'social'],
    ['linkedin.com', 'https://www.linkedin.com/', 'social'],
    ['lnkd.in', 'https://lnkd.in/abc', 'social'],
    ['instagram.com', 'https://l.instagram.com/', 'social'],
    ['reddit.com', 'https://old.reddit.com/r/bikes', 'social'],
    ['pinterest.com', 'https://www.pinterest.com/', 'social'],
    ['pinterest.co.uk', 'https://uk.pinterest.co.uk/', 'social'],
    ['pinterest.fr', 'https://pinterest.fr/', 'social'],
    ['youtube.com', 'https://www.youtube.com/', 'social'],
    ['m.youtube.com', 'https://m.youtube.com/', 'social'],
    ['tiktok.com', 'https://www.tiktok.com/', 'social'],
    ['threads.net', 'https://www.threads.net/', 'social'],
    ['bsky.app', 'https://bsky.app/', 'social'],
    ['mastodon.social', 'https://mastodon.social/@x', 'social'],
    // email (webmail, checked before the search brands)
    ['mail.google.com', 'https://mail.google.com/', 'email'],
    ['outlook.live.com', 'https://outlook.live.com/', 'email'],
    ['outlook.office.com', 'https://outlook.office.com/', 'email'],
    ['mail.yahoo.com', 'https://mail.yahoo.com/', 'email'],
    ['a regional mail.yahoo.com', 'https://uk.mail.yahoo.com/', 'email'],
    // lookalikes → other
    ['notgoogle.com', 'https://notgoogle.com/', 'other'],
    ['google.com.evil.io', 'https://google.com.evil.io/', 'other'],
    ['google.evil.io', 'https://google.evil.io/', 'other'],
    ['googlesearch.com', 'https://googlesearch.com/', 'other'],
    ['xt.co', 'https://xt.co/', 'other'],
    ['t.co.evil.io', 'https://t.co.evil.io/', 'other'],
    ['facebook.com.evil.io', 'https://facebook.com.evil.io/', 'other'],
    ['myfacebook.com', 'https://myfacebook.com/', 'other'],
    ['bing.com.au', 'https://bing.com.au/', 'other'],
    ['brave.com (not search.brave.com)', 'https://brave.com/', 'other'],
    ['yahoo in the path', 'https://evil.io/www.yahoo.com/', 'other'],
    ['google as userinfo', 'https://www.google.com@evil.io/', 'other'],
    // other
    ['an ordinary site', 'https://blog.example.org/post', 'other'],
    ['an IP address', 'http://192.0.2.1/', 'other'],
    ['IPv6', 'http://[2001:db8::1]/', 'other'],
    ['unparseable', 'not a url', 'other'],
    ['a relative path', '/cart', 'other'],
    ['an Android app', 'android-app://com.google.android.gm/', 'other'],
    ['a data URL', 'data:text/html,hi', 'other'],
    ['about:blank', 'about:blank', 'other'],
  ])('%s → %s', (_name, referer, kind) => {
    expect(classifyReferrer(referer, PAGE)).toBe(kind)
  })

  it.each<[string, string | null, string | undefined, ReferrerKind]>([
    ['no Referer (mail clients send none)', null, 'email', 'email'],
    ['an unknown site', 'https://blog.example.org/', 'email', 'email'],
    ['unparseable', 'nonsense', 'email', 'email'],
    ['case and spaces', null, ' EMAIL ', 'email'],
    ['a search engine keeps its kind', 'https://www.google.com/', 'email', 'search'],
    ['a social network keeps its kind', 'https://t.co/x', 'email', 'social'],
    ['internal stays internal', 'https://shop.example/', 'email', 'internal'],
    ['another medium is no hint', null, 'newsletter', 'none'],
    ['e-mail is not email', null, 'e-mail', 'none'],
    ['undefined', null, undefined, 'none'],
  ])('utm_medium: %s', (_name, referer, medium, kind) => {
    expect(classifyReferrer(referer, PAGE, medium)).toBe(kind)
  })

  it('compares the request host exactly', () => {
    const local = new URL('http://localhost:8787/')
    expect(classifyReferrer('http://localhost:8787/cycling', local)).toBe('internal')
    expect(classifyReferrer('http://127.0.0.1:8787/', local)).toBe('other')
  })

  it('reads a long Referer', () => {
    const referer = `https://www.google.com/search?q=${'a'.repeat(100_000)}`
    expect(classifyReferrer(referer, PAGE)).toBe('search')
  })

  it('always returns a kind', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        fc.option(fc.string(), { nil: undefined }),
        (referer, medium) => {
          expect(REFERRER_KINDS).toContain(classifyReferrer(referer, PAGE, medium))
        }
      ),
      // fc.webUrl is slow to generate; fewer runs keep this test under a second.
      { numRuns: 50 }
    )
  })
})
