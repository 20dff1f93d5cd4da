// Per-isolate memos of pure answers about one header value.

/**
 * `answer`, remembering the last value it was asked about and its answer. A site sends the same
 * value (Content-Type, Cache-Control…) on every page, so most calls cost one comparison; a new
 * value is answered and remembered in its place. Only for pure functions of the value.
 * @example const refuses = rememberLast((v: string | null) => v === 'no-store'); refuses('no-store') // true
 */
export function rememberLast<T>(answer: (value: string | null) => T): (value: string | null) => T {
  // `undefined`: nothing asked yet (a value is a string or null).
  let last: string | null | undefined
  let result: T
  return (value) => {
    if (value !== last) {
      result = answer(value)
      last = value
    }
    return result
  }
}
