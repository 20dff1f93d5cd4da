// Shapes of parsed JSON that more than one folder checks (a leaf: it imports nothing).

/**
 * Whether a value is a plain object: `{}` or `Object.create(null)`, not an array, a class
 * instance or null. What JSON.parse gives for `{...}`.
 * @example isPlainObject(JSON.parse('{"a":1}')) // true
 * @example isPlainObject([]) // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false
  }
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
