// Named segments: compiled in dependency order, with cycles and unknown references as issues.
import { isPlainObject } from '../json'
import {
  brokenSegment,
  BROKEN,
  compileNode,
  finish,
  MAX_DEPTH,
  NEVER,
  unknownSegment,
} from './compile'
import type { Context } from './tree'
import type { CompileEnv, CompiledCondition, RuleIssue } from './types'

/**
 * Compile named segments, which may reference each other with `$segment`, in dependency order.
 * Cycles and unknown references are issues; a segment with issues never matches, and a condition
 * that references it gets an issue too.
 * @example
 * const { segments } = compileSegments({ cyclist: { 'prefs.interests': 'cycling' } }, env)
 * compileCondition({ $segment: 'cyclist' }, { ...env, segments })
 */
export function compileSegments(
  json: Record<string, unknown>,
  env: Omit<CompileEnv, 'segments'>
): { segments: Record<string, CompiledCondition>; issues: (RuleIssue & { segment: string })[] } {
  const names = isPlainObject(json) ? Object.keys(json) : []
  const refs = new Map<string, string[]>()
  for (const name of names) {
    refs.set(name, segmentReferences(json[name], 0))
  }
  const segments: Record<string, CompiledCondition> = {}
  const issues: (RuleIssue & { segment: string })[] = []
  for (const name of dependencyOrder(names, refs)) {
    const local: RuleIssue[] = []
    const context: Context = {
      field: (path) => env.field(path),
      fieldNames: () => env.fieldNames(),
      issues: local,
      segment(ref, path) {
        if (!refs.has(ref)) {
          local.push({ path, message: unknownSegment(ref, names) })
          return undefined
        }
        const back = pathBetween(ref, name, refs)
        if (back) {
          const cycle = [name, ...back].join(' → ')
          local.push({ path, message: `Expected no cycle between segments. Got ${cycle}.` })
          return undefined
        }
        const condition = Object.hasOwn(segments, ref) ? segments[ref] : undefined
        if (!condition || BROKEN.has(condition)) {
          local.push({ path, message: brokenSegment(ref) })
          return undefined
        }
        return condition
      },
    }
    const node = compileNode(json[name], [], 0, context)
    // defineProperty: a segment named "__proto__" must become a key, not a prototype.
    Object.defineProperty(segments, name, {
      value: local.length ? NEVER : finish(node),
      enumerable: true,
      writable: true,
      configurable: true,
    })
    issues.push(...local.map((issue) => ({ ...issue, segment: name })))
  }
  // Report in the order the config wrote the segments, not the order they were compiled.
  const position = new Map(names.map((name, i) => [name, i]))
  issues.sort((a, b) => (position.get(a.segment) ?? 0) - (position.get(b.segment) ?? 0))
  return { segments, issues }
}

/** The names a segment's condition references with `$segment`, anywhere a condition may be. */
function segmentReferences(json: unknown, depth: number): string[] {
  if (!isPlainObject(json) || depth > MAX_DEPTH) {
    return []
  }
  const out: string[] = []
  for (const [key, value] of Object.entries(json)) {
    if (key === '$segment' && typeof value === 'string') {
      out.push(value)
    } else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      for (const item of value) {
        out.push(...segmentReferences(item, depth + 1))
      }
    } else if (key === '$not') {
      out.push(...segmentReferences(value, depth + 1))
    }
  }
  return out
}

/** Every name once, each after the segments it references (where there is no cycle). */
function dependencyOrder(names: readonly string[], refs: ReadonlyMap<string, string[]>): string[] {
  const order: string[] = []
  const seen = new Set<string>()
  for (const root of names) {
    if (seen.has(root)) {
      continue
    }
    seen.add(root)
    // An explicit stack: a long chain of segments must not exhaust the call stack.
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }]
    while (stack.length) {
      const top = stack[stack.length - 1] as { name: string; next: number }
      const deps = refs.get(top.name) ?? []
      if (top.next < deps.length) {
        const dep = deps[top.next++] as string
        if (refs.has(dep) && !seen.has(dep)) {
          seen.add(dep)
          stack.push({ name: dep, next: 0 })
        }
      } else {
        stack.pop()
        order.push(top.name)
      }
    }
  }
  return order
}

/** The names from `from` to `to` following references ([from, …, to]), or undefined. */
function pathBetween(
  from: string,
  to: string,
  refs: ReadonlyMap<string, string[]>
): string[] | undefined {
  const previous = new Map<string, string | undefined>([[from, undefined]])
  const queue = [from]
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i] as string
    if (name === to) {
      const path: string[] = []
      for (let at: string | undefined = name; at !== undefined; at = previous.get(at)) {
        path.unshift(at)
      }
      return path
    }
    for (const next of refs.get(name) ?? []) {
      if (refs.has(next) && !previous.has(next)) {
        previous.set(next, name)
        queue.push(next)
      }
    }
  }
  return undefined
}
