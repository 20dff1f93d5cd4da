// The compiled tree of a condition: what `test()` runs and what `explain()` walks, and its constants.
import type { FieldSpec } from '../context/fields'
import type { CompiledCondition, RuleIssue } from './types'
import type { ClauseInfo } from './words'

/** Where in the condition's JSON a node came from, for issues. */
export type Path = (string | number)[]
/** A node's predicate over the facts. */
export type Test = (facts: unknown) => boolean

/** The compiled tree: what `test()` runs, and what `explain()` walks to find its words. */
export type Node =
  | (ClauseInfo & { kind: 'clause'; read: (facts: unknown) => unknown; test: Test })
  | { kind: 'and' | 'or'; children: readonly Node[]; test: Test }
  | { kind: 'not'; child: Node; test: Test }
  | {
      kind: 'segment'
      name: string
      condition: CompiledCondition
      inner: Node | undefined
      test: Test
    }
  | { kind: 'const'; test: Test }

/** What compiling one condition needs: fields, a way to resolve segments, where issues go. */
export type Context = {
  field(path: string): FieldSpec | undefined
  fieldNames(): string[]
  /** The segment `name`, or undefined after pushing an issue at `path`. */
  segment(name: string, path: Path): CompiledCondition | undefined
  issues: RuleIssue[]
}

/** The node that always holds (an empty `$and`, a variant without `when`). */
export const TRUE_NODE: Node = { kind: 'const', test: () => true }
/** The node that never holds (a condition with issues). */
export const FALSE_NODE: Node = { kind: 'const', test: () => false }
