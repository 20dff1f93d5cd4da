// Same-origin paths from untrusted values: redirect targets, pages to explain, preview landings.

/** Longest `return_to` or `from` accepted, in characters. */
export const MAX_PATH_LENGTH = 2000

// C0 and C1 controls, space and the other whitespace: the URL parser drops tabs and newlines
// silently ("/\t/evil.example" would become "//evil.example"), so any of them refuses the value.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u0020\u007f-\u009f\s\\]/

/**
 * A same-origin path to redirect to, normalised, or undefined. It must start with exactly one "/"
 * (not "//" or "/\", which browsers read as another host), hold no backslash, whitespace or
 * control character, and still be a path of this origin once the URL parser has normalised it
 * ("/./evil" or "/..//evil" can become "//evil"). The result keeps its query and fragment.
 * @example safeLocalPath('/cycling/?page=2') // '/cycling/?page=2'
 * @example safeLocalPath('//evil.example/') // undefined
 * @example safeLocalPath('https://evil.example/') // undefined
 */
export function safeLocalPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) {
    return undefined
  }
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE_CHARS.test(value)) {
    return undefined
  }
  const base = 'https://tailor.invalid'
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return undefined
  }
  if (url.origin !== base) {
    return undefined
  }
  const path = `${url.pathname}${url.search}${url.hash}`
  // Normalisation may have produced what was refused above.
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) {
    return undefined
  }
  return path
}
