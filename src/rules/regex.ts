// A static check that a `$regex` pattern cannot backtrack for seconds on a 1000-character value.

/** Repetitions (`*`, `+`, `{n,}`, `{n,m}`) allowed in one pattern: each multiplies the cost. */
const MAX_REPETITIONS = 1
/** Optional parts (`?`) allowed in one pattern: each can double the cost. */
const MAX_OPTIONALS = 5

/**
 * What `pattern` should be instead ("Expected a regular expression …") because it could take too
 * long on a long value, or undefined when it is safe enough. A conservative heuristic over the
 * pattern's syntax, applied after `new RegExp` has accepted it.
 *
 * Beware: cutting the tested value to 1000 characters does not bound the cost by itself. Measured
 * in V8 on 1000 characters: `(a+)+$` takes minutes (exponential), `a*a*a*x` over a minute and
 * `.*a.*b` a third of a second (polynomial), while one repetition such as `.*x` stays near 1 ms.
 * `a?` twenty times before twenty `a` takes 11 s. So a pattern may hold at most one repetition
 * (`*`, `+`, `{n,}`, `{n,m}`) and five optional parts (`?`), and no repeated group may hold a
 * quantifier or an alternation. This guards against accidents, not against every slow pattern:
 * config is trusted, visitors' values are not.
 * @example slowPattern('^/blog/') // undefined
 * @example slowPattern('(a+)+$') // 'without a repeated group that holds a quantifier or "|"'
 */
export function slowPattern(pattern: string): string | undefined {
  // For each open group: whether it holds a quantifier or "|" so far.
  const risky: boolean[] = [false]
  let repetitions = 0
  let optionals = 0
  // Whether the atom just before a quantifier was a group holding a quantifier or "|".
  let riskyAtom = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      riskyAtom = false
    } else if (c === '[') {
      // A class is one atom; its "*" or "+" are literal characters.
      i++
      while (i < pattern.length && pattern[i] !== ']') {
        i += pattern[i] === '\\' ? 2 : 1
      }
      riskyAtom = false
    } else if (c === '(') {
      risky.push(false)
      i += groupPrefix(pattern, i + 1)
      riskyAtom = false
    } else if (c === ')') {
      const held = risky.pop() ?? false
      if (risky.length === 0) {
        risky.push(false)
      }
      if (held) {
        risky[risky.length - 1] = true
      }
      riskyAtom = held
    } else if (c === '|') {
      risky[risky.length - 1] = true
      riskyAtom = false
    } else {
      const q = quantifier(pattern, i)
      if (!q) {
        riskyAtom = false
        continue
      }
      if (riskyAtom && q.kind !== 'optional') {
        return 'without a repeated group that holds a quantifier or "|"'
      }
      if (q.kind === 'repeat') {
        repetitions++
      } else if (q.kind === 'optional') {
        optionals++
      }
      risky[risky.length - 1] = true
      riskyAtom = false
      // A lazy quantifier ("+?") is still one quantifier.
      i += q.length - 1 + (pattern[i + q.length] === '?' ? 1 : 0)
    }
  }
  if (repetitions > MAX_REPETITIONS) {
    return 'with at most one *, + or {n,m}'
  }
  if (optionals > MAX_OPTIONALS) {
    return `with at most ${MAX_OPTIONALS} optional parts ("?")`
  }
  return undefined
}

/** The length of `?:`, `?=`, `?!`, `?<=`, `?<!` or `?<name>` after "(", else 0. */
function groupPrefix(pattern: string, at: number): number {
  if (pattern[at] !== '?') {
    return 0
  }
  const next = pattern[at + 1]
  if (next === '<' && pattern[at + 2] !== '=' && pattern[at + 2] !== '!') {
    const end = pattern.indexOf('>', at)
    return end < 0 ? 1 : end - at + 1
  }
  return next === '<' ? 3 : 2
}

const BRACES = /^\{(\d+)(,(\d*))?\}/

/** The quantifier at `at`: how long it is, and whether it repeats, is optional, or is fixed. */
function quantifier(
  pattern: string,
  at: number
): { kind: 'repeat' | 'optional' | 'fixed'; length: number } | undefined {
  const c = pattern[at]
  if (c === '*' || c === '+') {
    return { kind: 'repeat', length: 1 }
  }
  if (c === '?') {
    return { kind: 'optional', length: 1 }
  }
  if (c !== '{') {
    return undefined
  }
  // Without the "u" flag a "{" that is not a quantifier is a literal character.
  const m = BRACES.exec(pattern.slice(at, at + 24))
  if (!m) {
    return undefined
  }
  const min = Number(m[1])
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
  const kind = max > min && max > 1 ? 'repeat' : max > min ? 'optional' : 'fixed'
  return { kind, length: m[0].length }
}
