// Plain words for one clause, built from the field's spec: "your language is French".
import type { FieldSpec } from '../context/fields'
import type { Matcher } from './operators'
import { MAX_LIST_SCAN, firstMatch, isPresent } from './operators'
import type { Operator, Reason } from './types'

/** A field operator: every atomic operator except `$segment` (`'$in'`, `'$gte'`…). */
export type FieldOperator = Exclude<Operator, '$segment'>

/**
 * What the words need to know about a compiled clause.
 * @example { field: 'country', spec: CONTEXT_FIELDS.country, op: '$in', value: ['FR', 'BE'] }
 */
export type ClauseInfo = {
  field: string
  spec: FieldSpec
  op: FieldOperator
  /** The operand as the config wrote it. */
  value: unknown
  /** For `$in`, `$gt`…, `$regex`: which single value satisfies the clause. */
  element?: Matcher
}

/** Longest excerpt of a value shown in a reason. */
const TEXT_MAX = 80

// Fields whose value reads best as "it is <value> where you are".
const WHERE_YOU_ARE: ReadonlySet<string> = new Set(['daypart', 'weekday'])
// Fields that hold an hour of the day: "18 or later" rather than "18 or more".
const HOUR_FIELDS: ReadonlySet<string> = new Set(['localHour'])

const COMPLEMENT = { $gt: '$lte', $gte: '$lt', $lt: '$gte', $lte: '$gt' } as const

/**
 * The reason a clause gives: `held` says whether the clause itself held (false under `$not`,
 * where the reason is phrased negatively). Where an exact opposite operator exists the reason
 * names it: `$eq` that failed reads as `$ne`, a missing field as `$exists: false`.
 * @example reasonFor({ field: 'daypart', spec, op: '$eq', value: 'evening' }, 'evening', true)
 *   // { field: 'daypart', op: '$eq', value: 'evening', text: 'it is evening where you are' }
 */
export function reasonFor(clause: ClauseInfo, actual: unknown, held: boolean): Reason {
  const words = new Words(clause.field, clause.spec, actual)
  const { op, value } = clause
  const reason = (o: Operator, v: unknown, text: string): Reason => ({
    field: clause.field,
    op: o,
    value: v,
    text,
  })
  const matched = () => (clause.element ? firstMatch(actual, clause.element) : undefined)
  const values = Array.isArray(value) ? value : []

  switch (op) {
    case '$eq':
      return held ? reason(op, value, words.is(value)) : reason('$ne', value, words.isNot(value))
    case '$ne':
      return held ? reason(op, value, words.isNot(value)) : reason('$eq', value, words.is(value))
    case '$in':
      return held
        ? reason(op, value, words.is(matched()))
        : reason('$nin', value, words.isNone(values))
    case '$nin':
      // A $nin that failed has an element in the list: name it as $in would.
      return held
        ? reason(op, value, words.isNone(values))
        : reason('$in', value, words.is(firstMatch(actual, (v) => values.includes(v))))
    case '$exists': {
      const exists = held ? value === true : value !== true
      return reason(op, exists, exists ? words.known() : words.unknown())
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (held) {
        return reason(op, value, words.compares(op, value))
      }
      if (!isPresent(actual)) {
        return reason('$exists', false, words.unknown())
      }
      // The opposite operator is exact only for one comparable value (not NaN, not a list).
      if (typeof actual === typeof value && actual === actual) {
        return reason(COMPLEMENT[op], value, words.compares(COMPLEMENT[op], value))
      }
      return reason(op, value, words.compares(op, value, true))
    }
    case '$regex':
      if (held) {
        return reason(op, value, words.is(matched()))
      }
      if (!isPresent(actual)) {
        return reason('$exists', false, words.unknown())
      }
      return reason(op, value, `${words.noun} does not match ${JSON.stringify(value)}`)
    case '$all':
      if (held) {
        return reason(op, value, words.isAll(values))
      }
      if (!isPresent(actual)) {
        return reason('$exists', false, words.unknown())
      }
      return reason(op, value, words.isNotAll(values))
    case '$size':
      if (!held && !isPresent(actual)) {
        return reason('$exists', false, words.unknown())
      }
      return reason(op, value, words.count(Array.isArray(actual) ? actual.length : 0))
  }
}

/** The phrases for one field and the visitor's value of it. */
class Words {
  readonly noun: string
  private readonly list: boolean

  constructor(
    private readonly field: string,
    private readonly spec: FieldSpec,
    private readonly actual: unknown
  ) {
    this.noun = spec.noun
    this.list = spec.list === true || Array.isArray(actual)
  }

  /** "your country is FR", "you chose Cycling", "you are in the EU". */
  is(value: unknown): string {
    if (typeof value === 'boolean' && this.spec.says) {
      return this.spec.says[value ? 'true' : 'false']
    }
    if (this.list) {
      return `you chose ${this.label(value)}`
    }
    if (WHERE_YOU_ARE.has(this.field)) {
      return `it is ${this.label(value)} where you are`
    }
    return `${this.noun} is ${this.label(value)}`
  }

  /** "your country is not FR", "you did not choose Cycling". */
  isNot(value: unknown): string {
    return this.isNone([value])
  }

  /** "your country is not FR or BE", "you did not choose Cycling or Running". */
  isNone(values: readonly unknown[]): string {
    const says = this.spec.says
    if (says) {
      // A boolean that is not X is either the other value or unknown: say which.
      return typeof this.actual === 'boolean'
        ? says[this.actual ? 'true' : 'false']
        : this.unknown()
    }
    const which = orList(values.map((v) => this.label(v)))
    if (this.list) {
      return `you did not choose ${which}`
    }
    if (WHERE_YOU_ARE.has(this.field)) {
      return `it is not ${which} where you are`
    }
    return `${this.noun} is not ${which}`
  }

  /** "you chose Cycling and Running" ($all). */
  isAll(values: readonly unknown[]): string {
    if (!this.list) {
      return this.is(values[0])
    }
    return `you chose ${andList(values.map((v) => this.label(v)))}`
  }

  /** "you did not choose all of Cycling and Running". */
  isNotAll(values: readonly unknown[]): string {
    const all = andList(values.map((v) => this.label(v)))
    return this.list ? `you did not choose all of ${all}` : `${this.noun} is not ${all}`
  }

  /** "the hour where you are is 18 or later", "your city is before M in alphabetical order". */
  compares(op: '$gt' | '$gte' | '$lt' | '$lte', bound: unknown, negated = false): string {
    const b = this.label(bound)
    let phrase: string
    if (typeof bound === 'number') {
      const hour = HOUR_FIELDS.has(this.field)
      phrase = {
        $gt: hour ? `after ${b}` : `more than ${b}`,
        $gte: hour ? `${b} or later` : `${b} or more`,
        $lt: hour ? `before ${b}` : `less than ${b}`,
        $lte: hour ? `${b} or earlier` : `${b} or less`,
      }[op]
    } else {
      phrase = {
        $gt: `after ${b} in alphabetical order`,
        $gte: `${b} or after it in alphabetical order`,
        $lt: `before ${b} in alphabetical order`,
        $lte: `${b} or before it in alphabetical order`,
      }[op]
    }
    return `${this.noun} is ${negated ? 'not ' : ''}${phrase}`
  }

  /** "we know your country", "you chose something for your interests". */
  known(): string {
    if (this.spec.says) {
      return `we know whether ${this.spec.says.true}`
    }
    return this.list ? `you chose something for ${this.noun}` : `we know ${this.noun}`
  }

  /** "we do not know your country", "you chose nothing for your interests". */
  unknown(): string {
    if (this.spec.says) {
      return `we could not tell whether ${this.spec.says.true}`
    }
    return this.list ? this.count(0) : `we do not know ${this.noun}`
  }

  /** "you chose 2 options for your interests" ($size). */
  count(n: number): string {
    if (n === 0) {
      return `you chose nothing for ${this.noun}`
    }
    const shown = n > MAX_LIST_SCAN ? `more than ${MAX_LIST_SCAN}` : String(n)
    return `you chose ${shown} ${n === 1 ? 'option' : 'options'} for ${this.noun}`
  }

  /** A value as the visitor reads it: its label, a capitalised weekday, cut to 80 characters. */
  label(value: unknown): string {
    const labels = this.spec.labels
    if (typeof value === 'string') {
      if (labels && Object.hasOwn(labels, value)) {
        return clip(labels[value] ?? value)
      }
      if (this.field === 'weekday') {
        return clip(value.charAt(0).toUpperCase() + value.slice(1))
      }
      return clip(value)
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value)
    }
    return 'unknown'
  }
}

function clip(text: string): string {
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text
}

/** ["FR", "BE", "NL"] → "FR, BE or NL" */
function orList(items: readonly string[]): string {
  return joinList(items, 'or')
}

/** ["Cycling", "Running"] → "Cycling and Running" */
function andList(items: readonly string[]): string {
  return joinList(items, 'and')
}

function joinList(items: readonly string[], word: string): string {
  if (items.length <= 1) {
    return items[0] ?? ''
  }
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`
}
