// detectDevice: client hints first, then a bounded User-Agent check, on real User-Agent strings.
import { describe, expect, it } from 'vitest'
import { detectDevice } from './device'
import type { Device } from './fields'

const UA = {
  iPhoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iPhoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  iPod: 'Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Mobile/15E148 Safari/604.1',
  iPad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidPhoneChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  androidPhoneSamsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  androidPhoneFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0',
  androidTabletChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  galaxyTab:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  androidTabletFirefox: 'Mozilla/5.0 (Android 14; Tablet; rv:127.0) Gecko/127.0 Firefox/127.0',
  kindleFire:
    'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/126.3.1 like Chrome/126.0.6478.153 Safari/537.36',
  windowsPhone:
    'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063',
  operaMini:
    'Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54',
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  firefoxWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  chromeChromeOS:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  ieTabletPc:
    'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Touch; Tablet PC 2.0)',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  curl: 'curl/8.7.1',
}

const headers = (userAgent?: string, hint?: string) => {
  const h = new Headers()
  if (userAgent !== undefined) {
    h.set('user-agent', userAgent)
  }
  if (hint !== undefined) {
    h.set('sec-ch-ua-mobile', hint)
  }
  return h
}

describe('detectDevice from the User-Agent', () => {
  it.each<[string, string, Device]>([
    ['iPhone Safari', UA.iPhoneSafari, 'mobile'],
    ['iPhone Chrome', UA.iPhoneChrome, 'mobile'],
    ['iPod touch', UA.iPod, 'mobile'],
    ['iPad (its UA also says "Mobile")', UA.iPad, 'tablet'],
    ['Android phone, Chrome', UA.androidPhoneChrome, 'mobile'],
    ['Android phone, Samsung Internet', UA.androidPhoneSamsung, 'mobile'],
    ['Android phone, Firefox', UA.androidPhoneFirefox, 'mobile'],
    ['Android tablet, Chrome (no "Mobile")', UA.androidTabletChrome, 'tablet'],
    ['Galaxy Tab', UA.galaxyTab, 'tablet'],
    ['Android tablet, Firefox ("Tablet")', UA.androidTabletFirefox, 'tablet'],
    ['Kindle Fire (Silk)', UA.kindleFire, 'tablet'],
    ['Windows Phone', UA.windowsPhone, 'mobile'],
    ['Opera Mini', UA.operaMini, 'mobile'],
    ['Chrome on Windows', UA.chromeWindows, 'desktop'],
    ['Edge on Windows', UA.edgeWindows, 'desktop'],
    ['Firefox on Windows', UA.firefoxWindows, 'desktop'],
    ['Firefox on Linux', UA.firefoxLinux, 'desktop'],
    ['Chrome on ChromeOS', UA.chromeChromeOS, 'desktop'],
    ['Safari on a Mac', UA.safariMac, 'desktop'],
    // Beware: iPadOS 13+ Safari sends exactly this Mac UA; nothing tells it apart.
    ['iPad with a desktop-class UA', UA.safariMac, 'desktop'],
    ['a Windows "Tablet PC" (a touch laptop)', UA.ieTabletPc, 'desktop'],
    ['Googlebot (desktop)', UA.googlebot, 'desktop'],
    ['Googlebot smartphone (claims Android Mobile)', UA.googlebotSmartphone, 'mobile'],
    ['Bingbot', UA.bingbot, 'desktop'],
    ['curl', UA.curl, 'desktop'],
    ['a made-up string', 'hello', 'desktop'],
  ])('%s → %s', (_name, userAgent, device) => {
    expect(detectDevice(headers(userAgent))).toBe(device)
  })

  it.each<[string, Headers]>([
    ['no User-Agent and no hint', headers()],
    ['an empty User-Agent', headers('')],
    ['a blank User-Agent', headers('   ')],
    ['an unknown hint and no User-Agent', headers(undefined, 'yes')],
  ])('is undefined with %s', (_name, h) => {
    expect(detectDevice(h)).toBeUndefined()
  })
})

describe('detectDevice from the Sec-CH-UA-Mobile hint', () => {
  it.each<[string, string | undefined, string, Device]>([
    ['?1 wins over a desktop UA', UA.chromeWindows, '?1', 'mobile'],
    ['?1 with no UA', undefined, '?1', 'mobile'],
    ['?1 with spaces', undefined, ' ?1 ', 'mobile'],
    ['?0 on an Android tablet', UA.androidTabletChrome, '?0', 'tablet'],
    ['?0 on an iPad UA', UA.iPad, '?0', 'tablet'],
    ['?0 on a desktop', UA.chromeWindows, '?0', 'desktop'],
    ['?0 with no UA', undefined, '?0', 'desktop'],
    ['?0 wins over a phone UA ("request desktop site")', UA.androidPhoneChrome, '?0', 'desktop'],
    ['an unknown hint falls back to the UA (phone)', UA.iPhoneSafari, '1', 'mobile'],
    ['an unknown hint falls back to the UA (desktop)', UA.chromeWindows, 'true', 'desktop'],
    ['two hints joined ("?1, ?0") fall back to the UA', UA.chromeWindows, '?1, ?0', 'desktop'],
  ])('%s', (_name, userAgent, hint, device) => {
    expect(detectDevice(headers(userAgent, hint))).toBe(device)
  })
})

// Timing is not asserted: workerd freezes clocks during synchronous code. The regexes are literal
// alternations over at most 512 characters, so there is nothing to backtrack.
describe('detectDevice on hostile User-Agents', () => {
  it.each<[string, string, Device]>([
    ['10 KB of padding', 'x'.repeat(10_000), 'desktop'],
    [
      'a phone token beyond 512 characters is not read',
      `${'x'.repeat(600)} iPhone Mobile`,
      'desktop',
    ],
    ['a phone token within 512 characters is read', `${'x'.repeat(400)} iPhone`, 'mobile'],
    ['10 KB of repeated tokens', 'Android Tablet '.repeat(700), 'tablet'],
    ['almost-tokens', 'Androi Mob iPa Table'.repeat(500), 'desktop'],
  ])('%s', (_name, userAgent, device) => {
    expect(detectDevice(headers(userAgent))).toBe(device)
  })
})
