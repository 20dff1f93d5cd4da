// The Cookie request header: find one cookie's value, or take a cookie out before the origin.

/**
 * The Cookie header without the named cookie (every occurrence), so Tailor's cookie never
 * reaches the origin. Returns null when nothing is left. Every other cookie-pair keeps its bytes
 * and order; only the "; " separators around the removed pair go with it. A header without the
 * cookie comes back as the same string.
 * @example stripCookie('a=1; __Host-tailor=1.k2.x.y; b=2', '__Host-tailor') // 'a=1; b=2'
 * @example stripCookie('__Host-tailor=1.k2.x.y', '__Host-tailor') // null
 */
export function stripCookie(cookieHeader: string | null, name: string): string | null {
  if (cookieHeader === null || cookieHeader.trim() === '') {
    return null
  }
  if (name === '' || !cookieHeader.includes(name)) {
    return cookieHeader
  }
  const kept: string[] = []
  let removed = false
  forEachPair(cookieHeader, (start, end, nameStart, nameEnd) => {
    if (nameStart !== -1 && isName(cookieHeader, nameStart, nameEnd, name)) {
      removed = true
    } else {
      kept.push(cookieHeader.slice(start, end))
    }
    return true
  })
  if (!removed) {
    return cookieHeader
  }
  const rest = trimOws(kept.join(';'))
  // What is left may be only separators ("a=1;;" once "a=1" is the removed one): nothing to send.
  return /^[\s;]*$/.test(rest) ? null : rest
}

/**
 * The value of the named cookie in a Cookie header when it is there exactly once; undefined when
 * it is absent or ambiguous (twice: which one the browser meant cannot be told). Same parsing
 * as `readVisitor`: RFC 6265bis pairs, names compared exactly, one pass.
 * @example cookieValue('a=1; __Host-tailor-preview=1.k2.x.y', '__Host-tailor-preview') // '1.k2.x.y'
 */
export function cookieValue(cookieHeader: string | null, name: string): string | undefined {
  const found = findCookie(cookieHeader ?? '', name)
  return found.count === 1 ? found.value : undefined
}

/** How many times a cookie is in the header: 0, once (with its value), or more. */
export type Found = { count: 0 } | { count: 1; value: string } | { count: 2 }

/** The named cookie's value, or how many there are when it is not exactly one (stops at 2). */
export function findCookie(header: string, name: string): Found {
  if (name === '' || !header.includes(name)) {
    return { count: 0 }
  }
  let value: string | undefined
  let twice = false
  forEachPair(header, (_start, end, nameStart, nameEnd, eq) => {
    if (nameStart === -1 || !isName(header, nameStart, nameEnd, name)) {
      return true
    }
    if (value !== undefined) {
      twice = true
      return false
    }
    value = trimOws(header.slice(eq + 1, end))
    return true
  })
  if (twice) {
    return { count: 2 }
  }
  return value === undefined ? { count: 0 } : { count: 1, value }
}

/**
 * Call `visit` for each cookie-pair of a Cookie header (RFC 6265bis §4.2.1, §5.6: pairs split
 * on ";", name before the first "=", SP and HTAB trimmed). `nameStart..nameEnd` is the trimmed
 * name, or -1 for a pair without "=" (a nameless cookie); `eq` is the "=". `visit` returns false
 * to stop.
 *
 * One pass in O(length): the next "=" is remembered rather than searched again for each pair,
 * so a header of many ";" cannot make the scan quadratic.
 */
function forEachPair(
  header: string,
  visit: (start: number, end: number, nameStart: number, nameEnd: number, eq: number) => boolean
): void {
  let nextEq = -2
  let start = 0
  while (start <= header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) {
      end = header.length
    }
    if (nextEq !== -1 && nextEq < start) {
      nextEq = header.indexOf('=', start)
    }
    let nameStart = -1
    let nameEnd = -1
    if (nextEq !== -1 && nextEq < end) {
      nameStart = start
      nameEnd = nextEq
      while (nameStart < nameEnd && isOws(header.charCodeAt(nameStart))) {
        nameStart++
      }
      while (nameEnd > nameStart && isOws(header.charCodeAt(nameEnd - 1))) {
        nameEnd--
      }
    }
    if (!visit(start, end, nameStart, nameEnd, nextEq)) {
      return
    }
    start = end + 1
  }
}

const isName = (header: string, start: number, end: number, name: string): boolean =>
  end - start === name.length && header.startsWith(name, start)

const isOws = (code: number): boolean => code === 0x20 || code === 0x09

function trimOws(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isOws(text.charCodeAt(start))) {
    start++
  }
  while (end > start && isOws(text.charCodeAt(end - 1))) {
    end--
  }
  return text.slice(start, end)
}
