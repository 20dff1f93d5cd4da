// Compile-time checks of the values a condition names, worded "Expected X. Got Y."
import type { FieldSpec } from '../context/fields'

/** Longest excerpt of a bad value quoted back in a message. */
const SHOW_MAX = 60

/**
 * A value as a message quotes it: JSON, cut to 60 characters. Never throws (BigInt, cycles).
 * @example show('UK') // '"UK"'
 */
export function show(value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    // Not JSON (a cycle, a BigInt): fall through to the type's name.
  }
  if (text === undefined) {
    text = typeof value === 'object' ? 'an object' : typeof value
  }
  return text.length > SHOW_MAX ? `${text.slice(0, SHOW_MAX - 3)}...` : text
}

/**
 * A list of values as messages quote them.
 * @example quoteList(['night', 'morning']) // '"night", "morning"'
 */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ')
}

/**
 * Why `value` cannot be a value of the field, or undefined when it can. For a list field this is
 * one element ("cycling"), never the whole list.
 * @example checkValue(CONTEXT_FIELDS.localHour, 25) // 'Expected a number from 0 to 23. Got 25.'
 */
export function checkValue(spec: FieldSpec, value: unknown): string | undefined {
  const expected = expectedValue(spec, value)
  if (expected === undefined) {
    return undefined
  }
  let message = `Expected ${expected}. Got ${show(value)}.`
  if (Array.isArray(value)) {
    message += spec.list
      ? ' Use "$in" for any of several values or "$all" for all of them.'
      : ' Use "$in" to match any of several values.'
  }
  return message
}

/** The words after "Expected" when `value` does not fit `spec`, else undefined. */
function expectedValue(spec: FieldSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      if (spec.values) {
        return typeof value === 'string' && spec.values.includes(value)
          ? undefined
          : `one of ${quoteList(spec.values)}`
      }
      if (spec.pattern) {
        return typeof value === 'string' && matches(spec.pattern.regex, value)
          ? undefined
          : spec.pattern.expected
      }
      return typeof value === 'string' ? undefined : 'a string'
    case 'number': {
      const range = spec.range
      if (range) {
        const ok = typeof value === 'number' && value >= range[0] && value <= range[1]
        return ok ? undefined : `a number from ${range[0]} to ${range[1]}`
      }
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number'
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean'
  }
}

/** RegExp.test without the `lastIndex` trap of a global or sticky pattern. */
function matches(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0
  return regex.test(text)
}
