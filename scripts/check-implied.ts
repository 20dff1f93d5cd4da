// Which elements of a page a browser closes without an end tag: parse5 (the HTML standard's parser).
import type { DefaultTreeAdapterMap } from 'parse5'
import { parse } from 'parse5'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/** An element the page leaves open, and how much more HTMLRewriter would take as its content. */
export type OpenElement = {
  tag: string
  /** 1-based line of its start tag. */
  line: number
  /**
   * Bytes (UTF-16 code units) between where a browser ends it and where HTMLRewriter does (the
   * end tag of its nearest ancestor that has one, or the end of the page). 0: harmless here.
   */
  extra: number
}

// WHATWG HTML §13.1.2 "Void elements": never have an end tag, never have content.
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
  'param',
  'keygen',
])

function isElement(node: Node): node is Element {
  return 'tagName' in node
}

/**
 * Parse the page as a browser does, and return a lookup from an element as HTMLRewriter names it
 * (tag name and the how-manieth element of that name, from 0, as scripts/check-worker.ts counts)
 * to the element's implied end, or undefined when the page closes it with its own end tag.
 * Elements are matched by their start tags in source order; those a browser drops (a second
 * `<body>`) may shift the count for that tag name.
 * @example impliedEnds('<div><p>a<div>b</div></div>')({ tag: 'p', nth: 0 }) // { tag: 'p', line: 1, extra: 12 }
 */
export function impliedEnds(
  html: string
): (el: { tag: string; nth: number }) => OpenElement | undefined {
  const doc = parse(html, { sourceCodeLocationInfo: true })
  const byTag = new Map<string, { el: Element; ancestors: Element[] }[]>()
  const walk = (node: Node, ancestors: Element[]) => {
    const inside = isElement(node) ? [...ancestors, node] : ancestors
    if (isElement(node) && node.sourceCodeLocation?.startTag) {
      const list = byTag.get(node.tagName) ?? []
      list.push({ el: node, ancestors })
      byTag.set(node.tagName, list)
    }
    for (const child of 'childNodes' in node ? node.childNodes : []) {
      walk(child, inside)
    }
    if (isElement(node) && node.tagName === 'template' && 'content' in node) {
      walk((node as DefaultTreeAdapterMap['template']).content, inside)
    }
  }
  walk(doc, [])
  for (const list of byTag.values()) {
    list.sort(
      (a, b) =>
        (a.el.sourceCodeLocation?.startOffset ?? 0) - (b.el.sourceCodeLocation?.startOffset ?? 0)
    )
  }
  return ({ tag, nth }) => {
    const found = byTag.get(tag)?.[nth]
    const loc = found?.el.sourceCodeLocation
    if (!found || !loc || loc.endTag || VOID.has(tag)) {
      return undefined
    }
    const closer = [...found.ancestors].reverse().find((a) => a.sourceCodeLocation?.endTag)
    const rewriterEnd = closer?.sourceCodeLocation?.endTag?.startOffset ?? html.length
    return { tag, line: loc.startLine, extra: Math.max(0, rewriterEnd - loc.endOffset) }
  }
}
