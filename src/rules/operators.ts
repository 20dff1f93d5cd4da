// How each field operator tests one fact value: Mongo semantics for lists, no coercion, no throw.

/** A value a condition compares facts with, checked against the field: `'FR'`, `18`, `true`. */
export type Scalar = string | number | boolean

/** Tests one fact value, total on odd types: `(a) => a === 'FR'`. */
export type Matcher = (actual: unknown) => boolean

/** Lists are searched this far at most: facts hold a few dozen items, never more. */
export const MAX_LIST_SCAN = 1000

/** A regular expression sees at most this many characters of the tested string. */
const MAX_REGEX_INPUT = 1000

/**
 * Mongo's rule for list values: a list matches when one of its elements does.
 * @example some(['cycling', 'running'], equalsElement('running')) // true
 */
export function some(actual: unknown, element: Matcher): boolean {
  if (!Array.isArray(actual)) {
    return element(actual)
  }
  const n = Math.min(actual.length, MAX_LIST_SCAN)
  for (let i = 0; i < n; i++) {
    if (element(actual[i])) {
      return true
    }
  }
  return false
}

/**
 * The value (or first list element) that `element` accepts, for the words of a reason.
 * @example firstMatch(['BE', 'FR'], inElement(['FR', 'NL'])) // 'FR'
 */
export function firstMatch(actual: unknown, element: Matcher): unknown {
  if (!Array.isArray(actual)) {
    return element(actual) ? actual : undefined
  }
  const n = Math.min(actual.length, MAX_LIST_SCAN)
  for (let i = 0; i < n; i++) {
    if (element(actual[i])) {
      return actual[i]
    }
  }
  return undefined
}

/**
 * Whether a fact is there at all: `undefined` and `null` both mean unknown.
 * @example isPresent(false) // true
 */
export function isPresent(actual: unknown): boolean {
  return actual !== undefined && actual !== null
}

/**
 * `$eq` and implicit equality, for one value (wrap in `some` for lists). No coercion.
 * @example equalsElement(7)('7') // false
 */
export function equalsElement(expected: Scalar): Matcher {
  return (value) => value === expected
}

/**
 * `$in`, for one value (wrap in `some` for lists).
 * @example inElement(['FR', 'BE'])('FR') // true
 */
export function inElement(expected: readonly Scalar[]): Matcher {
  const set: ReadonlySet<unknown> = new Set(expected)
  return (value) => set.has(value)
}

/**
 * `$gt`, `$gte`, `$lt`, `$lte`: numbers with numbers, strings with strings, nothing else.
 * @example compareElement('$gte', 18)('19') // false
 */
export function compareElement(
  op: '$gt' | '$gte' | '$lt' | '$lte',
  bound: number | string
): Matcher {
  const kind = typeof bound
  switch (op) {
    case '$gt':
      return (value) => typeof value === kind && (value as typeof bound) > bound
    case '$gte':
      return (value) => typeof value === kind && (value as typeof bound) >= bound
    case '$lt':
      return (value) => typeof value === kind && (value as typeof bound) < bound
    case '$lte':
      return (value) => typeof value === kind && (value as typeof bound) <= bound
  }
}

/**
 * `$regex`: a string, cut to its first MAX_REGEX_INPUT characters, matches.
 * @example regexElement(/^\/blog/)('/blog/post') // true
 */
export function regexElement(regex: RegExp): Matcher {
  return (value) =>
    typeof value === 'string' &&
    regex.test(value.length > MAX_REGEX_INPUT ? value.slice(0, MAX_REGEX_INPUT) : value)
}

/**
 * `$all`: every expected value is in the list (a single value must equal each of them).
 * @example allMatcher(['cycling', 'hiking'])(['hiking', 'cycling', 'running']) // true
 */
export function allMatcher(expected: readonly Scalar[]): Matcher {
  const elements = expected.map(equalsElement)
  return (actual) => {
    for (const element of elements) {
      if (!some(actual, element)) {
        return false
      }
    }
    return true
  }
}

/**
 * `$size`: a list of exactly `size` elements.
 * @example sizeMatcher(0)([]) // true
 */
export function sizeMatcher(size: number): Matcher {
  return (actual) => Array.isArray(actual) && actual.length === size
}

/**
 * `$exists`: whether the fact is known, as `flag` asks.
 * @example existsMatcher(false)(undefined) // true
 */
export function existsMatcher(flag: boolean): Matcher {
  return (actual) => isPresent(actual) === flag
}
