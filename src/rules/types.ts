// The shapes the rules module shares with its callers: operators, reasons, compiled conditions.
import type { Facts, FieldSpec } from '../context/fields'

/** An atomic operator a reason can name (logical operators never appear in a reason): `'$in'`. */
export type Operator =
  | '$eq'
  | '$ne'
  | '$in'
  | '$nin'
  | '$gt'
  | '$gte'
  | '$lt'
  | '$lte'
  | '$exists'
  | '$regex'
  | '$all'
  | '$size'
  | '$segment'

/**
 * One atomic clause that made a condition true, with plain words for the visitor. `value` is the
 * operand as the config wrote it; `text` uses the visitor's own value where that reads better.
 * @example { field: 'country', op: '$in', value: ['FR', 'BE'], text: 'your country is FR' }
 */
export type Reason = { field: string; op: Operator; value: unknown; text: string }

/**
 * A condition ready for requests. Both methods are total: they never throw, whatever the facts.
 * @example
 * if (condition.test(facts)) console.log(condition.explain(facts).map((r) => r.text))
 */
export type CompiledCondition = {
  /** Hot path: whether the condition holds. */
  test(facts: Facts): boolean
  /**
   * Slow path: the atomic clauses that made `test()` true (for `$or` the first branch that held;
   * under `$not`/`$nor` and for `$ne` a reason phrased negatively); `[]` when `test()` is false.
   */
  explain(facts: Facts): Reason[]
}

/**
 * Where a problem is, relative to the condition, and what it is.
 * @example
 * { path: ['$or', 1, 'country', '$in', 0], message: 'Expected an ISO … code. Got "UK1".' }
 */
export type RuleIssue = { path: (string | number)[]; message: string }

/**
 * What the compiler knows about the world: the fields a condition may name and the segments.
 * @example { field: (p) => fields[p], fieldNames: () => Object.keys(fields), segments: {} }
 */
export type CompileEnv = {
  /** The spec of a field path, or undefined when the field is unknown. */
  field(path: string): FieldSpec | undefined
  /** All known field paths, for "Expected one of" messages. */
  fieldNames(): string[]
  /** Already compiled segments by name. */
  segments: Readonly<Record<string, CompiledCondition>>
}
