// Command-line numbers of the bench scripts: bounded, so a typo cannot start an endless run.

/**
 * `value` as a number from `min` to `max` (a whole one when `whole`), or an Error that names the
 * script (`who`) and the option.
 * @example boundedNumber('bench', '--rounds', '5', 1, 96) // 5
 */
export function boundedNumber(
  who: string,
  name: string,
  value: string | undefined,
  min: number,
  max: number,
  whole = false
): number {
  const n = Number(value)
  if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
    const kind = whole ? 'a whole number' : 'a number'
    throw new Error(`${who}: ${name} must be ${kind} from ${min} to ${max}. Got ${value}.`)
  }
  return n
}
