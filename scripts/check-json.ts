// Parse a JSON document and, when it is invalid, say where (line and column) and what in words.

/** The outcome of `parseJson`: the value, or the first problem with its 1-based line and column. */
export type JsonResult =
  { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string }

type State =
  | 'value' // a value must come next
  | 'array-first' // just after "[": a value or "]"
  | 'array-next' // just after "," in an array: a value
  | 'object-first' // just after "{": a property name or "}"
  | 'object-next' // just after "," in an object: a property name
  | 'colon' // just after a property name
  | 'after' // just after a value: ",", a closing bracket, or the end

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])

/** Words for what stands at `i`: `"}"`, `"tru"` (a whole word), `the end of the file`. */
function got(text: string, i: number): string {
  if (i >= text.length) {
    return 'the end of the file'
  }
  const word = /^[A-Za-z0-9_$.+-]+/.exec(text.slice(i, i + 40))?.[0]
  const shown = JSON.stringify(word ?? String.fromCodePoint(text.codePointAt(i) ?? 0))
  if (text[i] === '/') {
    return `${shown} (JSON has no comments)`
  }
  if (text[i] === "'") {
    return `${shown} (JSON strings take double quotes)`
  }
  if (text[i] === '\uFEFF') {
    return 'a byte order mark (save the file as UTF-8 without BOM)'
  }
  return shown
}

/** Index just past the string that opens at `i`, or a problem at the offending character. */
function scanString(text: string, i: number): number | { at: number; message: string } {
  let j = i + 1
  while (j < text.length) {
    const ch = text[j] as string
    if (ch === '"') {
      return j + 1
    }
    if (ch === '\\') {
      const next = text[j + 1]
      if (next !== undefined && ESCAPES.has(next)) {
        j += 2
        continue
      }
      if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(j + 2, j + 6))) {
        j += 6
        continue
      }
      const shown = next === undefined ? 'the end of the file' : JSON.stringify(`\\${next}`)
      return { at: j, message: `Expected an escape such as \\n, \\" or \\u00e9. Got ${shown}.` }
    }
    if (ch === '\n' || ch === '\r') {
      return {
        at: j,
        message: 'Expected a closing " before the end of the line (a string cannot span lines).',
      }
    }
    if (ch < ' ') {
      const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
      return {
        at: j,
        message: `Expected no control character inside a string (write \\t, \\n). Got ${code}.`,
      }
    }
    j++
  }
  return { at: i, message: 'Expected a closing " for this string. Got the end of the file.' }
}

/** Index just past the number that starts at `i`, or a problem. */
function scanNumber(text: string, i: number): number | { at: number; message: string } {
  const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))
  if (!m) {
    return { at: i, message: `Expected a number. Got ${got(text, i)}.` }
  }
  const end = i + m[0].length
  if (/^-?0$/.test(m[0]) && /[0-9]/.test(text[end] ?? '')) {
    return { at: i, message: `Expected a number without a leading zero. Got ${got(text, i)}.` }
  }
  if (/[.eE]/.test(text[end] ?? '')) {
    return { at: end, message: `Expected digits in the number. Got ${got(text, i)}.` }
  }
  return end
}

/**
 * The first syntax error in `text`, by index, with a message; undefined when `text` is valid JSON.
 * @example findJsonError('[1,]') // { at: 2, message: 'Expected another element after ",". Got "]" (JSON allows no trailing comma).' }
 */
export function findJsonError(text: string): { at: number; message: string } | undefined {
  const stack: ('{' | '[')[] = []
  let state: State = 'value'
  let i = 0
  let comma = 0 // where the last "," was: a trailing comma is reported there
  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i] as string)) {
      i++
    }
    const ch = text[i]
    if (state === 'after') {
      const top = stack.at(-1)
      if (top === undefined) {
        return i < text.length
          ? {
              at: i,
              message: `Expected the end of the file after the JSON value. Got ${got(text, i)}.`,
            }
          : undefined
      }
      const close = top === '{' ? '}' : ']'
      if (ch === ',') {
        state = top === '{' ? 'object-next' : 'array-next'
        comma = i
        i++
      } else if (ch === close) {
        stack.pop()
        i++
      } else {
        const what = top === '{' ? 'a property value' : 'an array element'
        return { at: i, message: `Expected "," or "${close}" after ${what}. Got ${got(text, i)}.` }
      }
      continue
    }
    if (state === 'colon') {
      if (ch !== ':') {
        return { at: i, message: `Expected ":" after the property name. Got ${got(text, i)}.` }
      }
      state = 'value'
      i++
      continue
    }
    if (state === 'object-first' || state === 'object-next') {
      if (ch === '}') {
        if (state === 'object-next') {
          return {
            at: comma,
            message:
              'Expected another property after ",". Got "}" (JSON allows no trailing comma).',
          }
        }
        stack.pop()
        state = 'after'
        i++
        continue
      }
      if (ch !== '"') {
        const or = state === 'object-first' ? ' or "}"' : ''
        return {
          at: i,
          message: `Expected a property name in double quotes${or}. Got ${got(text, i)}.`,
        }
      }
      const end = scanString(text, i)
      if (typeof end !== 'number') {
        return end
      }
      state = 'colon'
      i = end
      continue
    }
    if (state === 'array-first' && ch === ']') {
      stack.pop()
      state = 'after'
      i++
      continue
    }
    if (state === 'array-next' && ch === ']') {
      return {
        at: comma,
        message: 'Expected another element after ",". Got "]" (JSON allows no trailing comma).',
      }
    }
    // A value.
    if (ch === '{' || ch === '[') {
      stack.push(ch)
      state = ch === '{' ? 'object-first' : 'array-first'
      i++
      continue
    }
    let end: number | { at: number; message: string }
    if (ch === '"') {
      end = scanString(text, i)
    } else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      end = scanNumber(text, i)
    } else if (/^(?:true|false|null)(?![A-Za-z0-9_$])/.test(text.slice(i, i + 6))) {
      end = i + (text.startsWith('false', i) ? 5 : 4)
    } else {
      const or = state === 'array-first' ? ' or "]"' : ''
      return {
        at: i,
        message: `Expected a JSON value (a string, number, object, array, true, false or null)${or}. Got ${got(text, i)}.`,
      }
    }
    if (typeof end !== 'number') {
      return end
    }
    state = 'after'
    i = end
  }
}

/** 1-based line and column (in UTF-16 code units, as editors count) of index `at`. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let i = 0; i < at && i < text.length; i++) {
    if (text[i] === '\n') {
      line++
      start = i + 1
    }
  }
  return { line, column: at - start + 1 }
}

/**
 * JSON.parse, with a problem that says the line, the column and what was expected when it fails.
 * @example parseJson('{\n  "a": 1,\n}') // { ok: false, line: 2, column: 9, message: 'Expected another property after ",". Got "}" (JSON allows no trailing comma).' }
 */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    const found = findJsonError(text)
    if (found) {
      return { ok: false, ...lineColumn(text, found.at), message: found.message }
    }
    // The scanner found nothing JSON.parse disliked: fall back on V8's own position, if it says one.
    const message = (err as Error).message
    const at = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length)
    return { ok: false, ...lineColumn(text, at), message }
  }
}
