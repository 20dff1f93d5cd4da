// Explaining a compiled tree: the clauses that made a condition hold (or fail), in words.
import type { Facts } from '../context/fields'
import type { Node } from './tree'
import type { Reason } from './types'
import { reasonFor } from './words'

/**
 * The clauses that made `node` hold for `facts`, or [] when it does not hold.
 * @example explainNode(node, facts).map((r) => r.text) // ['your language is French']
 */
export function explainNode(node: Node, facts: unknown): Reason[] {
  const out: Reason[] = []
  if (node.test(facts)) {
    explainTrue(node, facts, out)
  }
  return out
}

/** The clauses that made `node` true (it must be). */
function explainTrue(node: Node, facts: unknown, out: Reason[]): void {
  switch (node.kind) {
    case 'clause':
      out.push(reasonFor(node, node.read(facts), true))
      return
    case 'and':
      for (const child of node.children) {
        explainTrue(child, facts, out)
      }
      return
    case 'or': {
      const held = node.children.find((child) => child.test(facts))
      if (held) {
        explainTrue(held, facts, out)
      }
      return
    }
    case 'not':
      explainFalse(node.child, facts, out)
      return
    case 'segment':
      if (node.inner) {
        explainTrue(node.inner, facts, out)
      } else {
        out.push(...node.condition.explain(facts as Facts))
      }
      return
    case 'const':
      return
  }
}

/** The clauses that made `node` false (it must be), phrased negatively. */
function explainFalse(node: Node, facts: unknown, out: Reason[]): void {
  switch (node.kind) {
    case 'clause':
      out.push(reasonFor(node, node.read(facts), false))
      return
    case 'and': {
      const failed = node.children.find((child) => !child.test(facts))
      if (failed) {
        explainFalse(failed, facts, out)
      }
      return
    }
    case 'or':
      for (const child of node.children) {
        explainFalse(child, facts, out)
      }
      return
    case 'not':
      explainTrue(node.child, facts, out)
      return
    case 'segment':
      if (node.inner) {
        explainFalse(node.inner, facts, out)
      } else {
        const text = `you are not in the segment ${JSON.stringify(node.name)}`
        out.push({ field: node.name, op: '$segment', value: node.name, text })
      }
      return
    case 'const':
      return
  }
}
