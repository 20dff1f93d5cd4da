// Reading a dot path out of the facts without trusting their shape: own data only, never a throw.
import type { Facts } from '../context/fields'

// Keys that would reach an object's prototype machinery rather than its data.
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/** One step of a path: the own property `key` of `value`, or undefined. */
function step(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) {
    return undefined
  }
  return (value as Record<string, unknown>)[key]
}

/**
 * A reader for one path, built once at compile time so that the hot path does no string work.
 * The path must already be known to be safe (a field from the catalogue).
 * @example pathReader('utm.source')(facts) // 'newsletter'
 */
export function pathReader(path: string): (facts: unknown) => unknown {
  const keys = path.split('.')
  if (keys.length === 1) {
    const key = keys[0] ?? ''
    return (facts) => step(facts, key)
  }
  if (keys.length === 2) {
    const [a = '', b = ''] = keys
    return (facts) => step(step(facts, a), b)
  }
  return (facts) => {
    let value: unknown = facts
    for (const key of keys) {
      value = step(value, key)
      if (value === undefined) {
        return undefined
      }
    }
    return value
  }
}

/**
 * Read a dot path from facts. `undefined` when any step is absent, not an own property, or one of
 * `__proto__`, `constructor`, `prototype`. Never throws.
 *
 * Beware: an exotic object (a Proxy, a property getter that throws) counts as absent; facts built
 * by the context module are plain data and never hold one.
 * @example readField(facts, 'utm.source') // 'newsletter'
 */
export function readField(facts: Facts, path: string): unknown {
  if (typeof path !== 'string' || path === '') {
    return undefined
  }
  let value: unknown = facts
  try {
    for (const key of path.split('.')) {
      if (PROTOTYPE_KEYS.has(key)) {
        return undefined
      }
      value = step(value, key)
      if (value === undefined) {
        return undefined
      }
    }
  } catch {
    // A hostile getter or Proxy trap: the field is unknown, as documented above.
    return undefined
  }
  return value
}
