// Compiling MongoDB-style conditions (GrowthBook's targeting syntax) once into total predicates.
import type { Facts, FieldSpec } from '../context/fields'
import { isPlainObject } from '../json'
import type { Matcher, Scalar } from './operators'
import {
  allMatcher,
  compareElement,
  equalsElement,
  existsMatcher,
  inElement,
  regexElement,
  sizeMatcher,
  some,
} from './operators'
import { pathReader } from './read'
import { slowPattern } from './regex'
import type { CompileEnv, CompiledCondition, Reason, RuleIssue } from './types'
import { checkValue, show } from './values'
import type { FieldOperator } from './words'
import { explainNode } from './explain'
import type { Context, Node, Path, Test } from './tree'
import { FALSE_NODE, TRUE_NODE } from './tree'

/** Deepest nesting accepted, so that compiling and testing never exhaust the stack. */
export const MAX_DEPTH = 32

/** Longest `$regex` pattern accepted, in characters. */
const MAX_REGEX_LENGTH = 200

/** Operators inside a field's object: `{ "localHour": { "$gte": 6, "$lt": 12 } }`. */
const FIELD_OPERATORS = [
  '$eq',
  '$ne',
  '$in',
  '$nin',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$regex',
  '$options',
  '$all',
  '$size',
  '$not',
] as const
type FieldKey = (typeof FIELD_OPERATORS)[number]

/** Operators in place of a field: `{ "$or": [...] }`. */
const LOGICAL_OPERATORS = ['$and', '$or', '$nor', '$not', '$segment'] as const

// The tree behind each condition this module made, so that a `$segment` runs its tree directly
// and `$not: { $segment }` can phrase the segment's own clauses negatively.
const NODES = new WeakMap<CompiledCondition, Node>()
// Conditions returned with issues. A reference to one is an issue too: `$not` of a condition
// that never matches would otherwise match everyone.
export const BROKEN = new WeakSet<CompiledCondition>()

/** Wrap a tree as the public, total condition. */
export function finish(node: Node): CompiledCondition {
  const run = node.test
  const condition: CompiledCondition = {
    test(facts: Facts): boolean {
      try {
        return run(facts)
      } catch {
        // Only an exotic object in the facts (a Proxy, a throwing getter) gets here: the rule
        // does not match, so nothing is shown by mistake.
        return false
      }
    },
    explain(facts: Facts): Reason[] {
      try {
        return explainNode(node, facts)
      } catch {
        // As in test(): exotic facts give no reasons rather than an error.
        return []
      }
    },
  }
  NODES.set(condition, node)
  return Object.freeze(condition)
}

/**
 * The always-true condition, for variants without `when`. `explain()` returns [].
 * @example ALWAYS.test(facts) // true
 */
export const ALWAYS: CompiledCondition = finish(TRUE_NODE)

/** The condition returned with issues: it never matches, so a bad rule never shows content. */
export const NEVER: CompiledCondition = finish(FALSE_NODE)
BROKEN.add(NEVER)

/**
 * The raw tree's `test` and `explain`, without the guard against exotic facts. For the property
 * tests, which must see a throw if one happens; everything else uses the condition itself.
 * @example unguarded(compileCondition({ eu: true }, env).condition)?.test(facts)
 */
export function unguarded(condition: CompiledCondition): CompiledCondition | undefined {
  const node = NODES.get(condition)
  if (!node) {
    return undefined
  }
  return { test: (facts) => node.test(facts), explain: (facts) => explainNode(node, facts) }
}

/**
 * Compile one condition. With issues, `condition` never matches and the caller reports them.
 * @example
 * const { condition, issues } = compileCondition({ country: { $in: ['FR', 'BE'] } }, env)
 * condition.test(facts) // true for a visitor in France
 */
export function compileCondition(
  json: unknown,
  env: CompileEnv
): { condition: CompiledCondition; issues: RuleIssue[] } {
  const issues: RuleIssue[] = []
  const segments = env.segments
  const context: Context = {
    field: (path) => env.field(path),
    fieldNames: () => env.fieldNames(),
    issues,
    segment(name, path) {
      if (!Object.hasOwn(segments, name)) {
        issues.push({ path, message: unknownSegment(name, Object.keys(segments)) })
        return undefined
      }
      const condition = segments[name]
      if (!condition || BROKEN.has(condition)) {
        issues.push({ path, message: brokenSegment(name) })
        return undefined
      }
      return condition
    },
  }
  const node = compileNode(json, [], 0, context)
  return { condition: issues.length ? NEVER : finish(node), issues }
}

/** The message for a `$segment` naming no segment. */
export function unknownSegment(name: string, known: readonly string[]): string {
  const quoted = JSON.stringify(name)
  return known.length
    ? `Unknown segment ${quoted}. Expected one of: ${known.join(', ')}.`
    : `Unknown segment ${quoted}. No segments are defined.`
}

/** The message for a `$segment` naming a segment with problems of its own. */
export function brokenSegment(name: string): string {
  return `Expected a segment that compiles. Got ${JSON.stringify(name)}, which has problems of its own.`
}

/** `{ "$gte": 6 }` rather than a value to compare with. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'))
}

/** Compile one condition object into its tree, pushing issues into `context`. */
export function compileNode(json: unknown, path: Path, depth: number, context: Context): Node {
  if (!isPlainObject(json)) {
    context.issues.push({ path, message: `Expected a condition object. Got ${show(json)}.` })
    return FALSE_NODE
  }
  if (depth > MAX_DEPTH) {
    context.issues.push({ path, message: `Expected conditions nested at most ${MAX_DEPTH} deep.` })
    return FALSE_NODE
  }
  const children: Node[] = []
  for (const key of Object.keys(json)) {
    const value = json[key]
    const at = [...path, key]
    switch (key) {
      case '$and':
      case '$or':
      case '$nor': {
        const list = compileList(value, at, depth, context)
        children.push(key === '$and' ? and(list) : key === '$or' ? or(list) : not(or(list)))
        break
      }
      case '$not':
        children.push(not(compileNode(value, at, depth + 1, context)))
        break
      case '$segment': {
        if (typeof value !== 'string') {
          context.issues.push({ path: at, message: `Expected a segment name. Got ${show(value)}.` })
          break
        }
        const condition = context.segment(value, at)
        if (condition) {
          children.push(segmentNode(value, condition))
        }
        break
      }
      default: {
        if (key.startsWith('$')) {
          context.issues.push({
            path: at,
            message: `Unknown operator ${JSON.stringify(key)}. Expected one of: ${LOGICAL_OPERATORS.join(', ')}.`,
          })
          break
        }
        const spec = context.field(key)
        if (!spec) {
          context.issues.push({
            path: at,
            message: `Unknown field ${JSON.stringify(key)}. Expected one of: ${context.fieldNames().join(', ')}.`,
          })
          break
        }
        children.push(compileField(key, spec, value, at, depth, context))
      }
    }
  }
  return and(children)
}

function compileList(value: unknown, path: Path, depth: number, context: Context): Node[] {
  if (!Array.isArray(value)) {
    context.issues.push({ path, message: `Expected an array of conditions. Got ${show(value)}.` })
    return []
  }
  if (value.length === 0) {
    context.issues.push({ path, message: 'Expected at least one condition. Got [].' })
    return []
  }
  return value.map((item, i) => compileNode(item, [...path, i], depth + 1, context))
}

/** The operators that make sense for a field, in the order messages list them. */
function operatorsFor(spec: FieldSpec): readonly FieldKey[] {
  return FIELD_OPERATORS.filter((op) => {
    switch (op) {
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return spec.type !== 'boolean'
      case '$regex':
      case '$options':
        return spec.type === 'string'
      case '$all':
      case '$size':
        return spec.list === true
      default:
        return true
    }
  })
}

function kindOf(spec: FieldSpec): string {
  if (spec.list) {
    return 'a list field'
  }
  return { string: 'a text field', number: 'a number field', boolean: 'a boolean field' }[spec.type]
}

function compileField(
  field: string,
  spec: FieldSpec,
  value: unknown,
  path: Path,
  depth: number,
  context: Context
): Node {
  if (!isOperatorObject(value)) {
    return valueClause(field, spec, '$eq', value, path, context)
  }
  if (depth > MAX_DEPTH) {
    context.issues.push({ path, message: `Expected conditions nested at most ${MAX_DEPTH} deep.` })
    return FALSE_NODE
  }
  const allowed = operatorsFor(spec)
  const children: Node[] = []
  for (const key of Object.keys(value)) {
    const operand = value[key]
    const at = [...path, key]
    if (!(FIELD_OPERATORS as readonly string[]).includes(key)) {
      context.issues.push({
        path: at,
        message: `Unknown operator ${JSON.stringify(key)}. Expected one of: ${FIELD_OPERATORS.join(', ')}.`,
      })
      continue
    }
    const op = key as FieldKey
    if (!allowed.includes(op)) {
      context.issues.push({
        path: at,
        message: `Expected an operator for ${kindOf(spec)}: ${allowed.join(', ')}. Got ${JSON.stringify(op)}.`,
      })
      continue
    }
    switch (op) {
      case '$options':
        // Read with $regex; alone it means nothing.
        if (!Object.hasOwn(value, '$regex')) {
          context.issues.push({
            path: at,
            message: 'Expected "$regex" beside "$options". Got "$options" alone.',
          })
        }
        break
      case '$not':
        children.push(not(compileField(field, spec, operand, at, depth + 1, context)))
        break
      case '$eq':
      case '$ne':
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        children.push(valueClause(field, spec, op, operand, at, context))
        break
      case '$in':
      case '$nin':
      case '$all': {
        const values = checkValues(spec, operand, at, context)
        if (values) {
          children.push(listClause(field, spec, op, values))
        }
        break
      }
      case '$exists':
        if (typeof operand !== 'boolean') {
          context.issues.push({ path: at, message: `Expected a boolean. Got ${show(operand)}.` })
          break
        }
        children.push(clause(field, spec, op, operand, existsMatcher(operand)))
        break
      case '$size':
        if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0) {
          context.issues.push({
            path: at,
            message: `Expected a whole number, 0 or more. Got ${show(operand)}.`,
          })
          break
        }
        children.push(clause(field, spec, op, operand, sizeMatcher(operand)))
        break
      case '$regex': {
        const options = Object.hasOwn(value, '$options') ? value.$options : undefined
        const regex = compileRegex(operand, options, path, context)
        if (regex) {
          const element = regexElement(regex)
          children.push(clause(field, spec, op, operand, (a) => some(a, element), element))
        }
        break
      }
    }
  }
  return and(children)
}

/** `$eq`, `$ne` and comparisons: one value, checked against the field. */
function valueClause(
  field: string,
  spec: FieldSpec,
  op: '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte',
  operand: unknown,
  path: Path,
  context: Context
): Node {
  const message = checkValue(spec, operand)
  if (message) {
    context.issues.push({ path, message })
    return FALSE_NODE
  }
  const value = operand as Scalar
  if (op === '$eq' || op === '$ne') {
    const element = equalsElement(value)
    const match: Matcher = op === '$eq' ? (a) => some(a, element) : (a) => !some(a, element)
    return clause(field, spec, op, value, match, element)
  }
  // checkValue leaves only numbers and strings here: booleans have no comparisons.
  const element = compareElement(op, value as number | string)
  return clause(field, spec, op, value, (a) => some(a, element), element)
}

/** `$in`, `$nin`, `$all`: a non-empty array, each value checked against the field. */
function checkValues(
  spec: FieldSpec,
  operand: unknown,
  path: Path,
  context: Context
): Scalar[] | undefined {
  if (!Array.isArray(operand)) {
    context.issues.push({ path, message: `Expected an array. Got ${show(operand)}.` })
    return undefined
  }
  if (operand.length === 0) {
    context.issues.push({ path, message: 'Expected at least one value. Got [].' })
    return undefined
  }
  let ok = true
  operand.forEach((item: unknown, i) => {
    const message = checkValue(spec, item)
    if (message) {
      context.issues.push({ path: [...path, i], message })
      ok = false
    }
  })
  return ok ? (operand as Scalar[]) : undefined
}

function listClause(
  field: string,
  spec: FieldSpec,
  op: '$in' | '$nin' | '$all',
  values: Scalar[]
): Node {
  if (op === '$all') {
    return clause(field, spec, op, values, allMatcher(values))
  }
  const element = inElement(values)
  const match: Matcher = op === '$in' ? (a) => some(a, element) : (a) => !some(a, element)
  return clause(field, spec, op, values, match, element)
}

function compileRegex(
  pattern: unknown,
  options: unknown,
  path: Path,
  context: Context
): RegExp | undefined {
  const at = [...path, '$regex']
  if (typeof pattern !== 'string') {
    context.issues.push({
      path: at,
      message: `Expected a regular expression as a string. Got ${show(pattern)}.`,
    })
    return undefined
  }
  if (pattern.length > MAX_REGEX_LENGTH) {
    context.issues.push({
      path: at,
      message: `Expected a regular expression of at most ${MAX_REGEX_LENGTH} characters. Got ${pattern.length}.`,
    })
    return undefined
  }
  if (options !== undefined && options !== 'i' && options !== '') {
    context.issues.push({
      path: [...path, '$options'],
      message: `Expected "i" or no "$options". Got ${show(options)}.`,
    })
    return undefined
  }
  let regex: RegExp
  try {
    regex = new RegExp(pattern, options === 'i' ? 'i' : '')
  } catch (err) {
    context.issues.push({
      path: at,
      message: `Expected a valid regular expression. Got ${show(pattern)}. (${(err as Error).message})`,
    })
    return undefined
  }
  const slow = slowPattern(pattern)
  if (slow) {
    context.issues.push({
      path: at,
      message: `Expected a regular expression ${slow}, so that it stays fast on long values (a search needs no leading or trailing ".*"). Got ${show(pattern)}.`,
    })
    return undefined
  }
  return regex
}

function clause(
  field: string,
  spec: FieldSpec,
  op: FieldOperator,
  value: unknown,
  match: Matcher,
  element?: Matcher
): Node {
  const read = pathReader(field)
  return {
    kind: 'clause',
    field,
    spec,
    op,
    value,
    element,
    read,
    test: (facts) => match(read(facts)),
  }
}

function segmentNode(name: string, condition: CompiledCondition): Node {
  const inner = NODES.get(condition)
  // Our own segment runs its tree directly; a foreign one goes through its own test().
  const test: Test = inner ? inner.test : (facts) => condition.test(facts as Facts)
  return { kind: 'segment', name, condition, inner, test }
}

function and(children: Node[]): Node {
  if (children.length === 0) {
    return TRUE_NODE
  }
  if (children.length === 1) {
    return children[0] as Node
  }
  const tests = children.map((c) => c.test)
  const test: Test = (facts) => {
    for (let i = 0; i < tests.length; i++) {
      if (!(tests[i] as Test)(facts)) {
        return false
      }
    }
    return true
  }
  return { kind: 'and', children, test }
}

function or(children: Node[]): Node {
  if (children.length === 1) {
    return children[0] as Node
  }
  const tests = children.map((c) => c.test)
  const test: Test = (facts) => {
    for (let i = 0; i < tests.length; i++) {
      if ((tests[i] as Test)(facts)) {
        return true
      }
    }
    return false
  }
  return { kind: 'or', children, test }
}

function not(child: Node): Node {
  const inner = child.test
  return { kind: 'not', child, test: (facts) => !inner(facts) }
}
