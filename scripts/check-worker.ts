// The worker `npm run check` runs in workerd: the worker's own compileConfig, and HTMLRewriter matching.
// The Workers runtime types, for this file and for src/config, in the Node type check (tsconfig.node.json).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- global declarations, not a module
/// <reference path="../worker-configuration.d.ts" />
import { compileConfig } from '../src/config'
import { linkSelector } from '../src/experiments'

/** A slot to look for in a page: its selector, as the rewriter will use it. */
export type MatchRequest = { html: string; slots: { selector: string }[] }

/**
 * What HTMLRewriter found for one slot: how many elements, the template ids inside them, and each
 * element as its tag name and the how-manieth element of that name it is in the page (from 0), so
 * the same element can be found in another parser's tree.
 */
export type MatchResult = {
  matches: number
  templates: string[]
  elements: { tag: string; nth: number }[]
  /** Links (`a[href]`, the elements a click goal's ping marks) in the slot, outside its templates. */
  links: number
  /** Links inside each `<template data-tailor-variant>` of the slot, by its id. */
  templateLinks: Record<string, number>
}

// As in src/rewrite/rewriter.ts: the templates a `template` action may show.
const TEMPLATE = 'template[data-tailor-variant]'

/** Stream the page through one HTMLRewriter with a counting handler per slot, as production does. */
async function match({ html, slots }: MatchRequest): Promise<MatchResult[]> {
  const results = slots.map((): MatchResult => ({
    matches: 0,
    templates: [],
    elements: [],
    links: 0,
    templateLinks: {},
  }))
  // Registered first, so it has counted an element before any slot handler sees it.
  const seen = new Map<string, number>()
  let rewriter = new HTMLRewriter().on('*', {
    element(el) {
      const tag = el.tagName.toLowerCase()
      seen.set(tag, (seen.get(tag) ?? 0) + 1)
    },
  })
  slots.forEach((slot, i) => {
    const result = results[i] as MatchResult
    // The template being read, if any: its links are that variant's, not the page's own block's.
    let template: string | undefined
    rewriter = rewriter
      .on(slot.selector, {
        element(el) {
          result.matches++
          const tag = el.tagName.toLowerCase()
          result.elements.push({ tag, nth: (seen.get(tag) ?? 1) - 1 })
        },
      })
      .on(`${slot.selector} ${TEMPLATE}`, {
        element(el) {
          const id = el.getAttribute('data-tailor-variant')
          if (id !== null) {
            result.templates.push(id)
            template = id
            el.onEndTag(() => {
              template = undefined
            })
          }
        },
      })
      // The selector the worker gives the links' ping (lol-html matches inside <template> too).
      .on(linkSelector(slot.selector), {
        element() {
          if (template === undefined) {
            result.links++
          } else {
            result.templateLinks[template] = (result.templateLinks[template] ?? 0) + 1
          }
        },
      })
  })
  const page = new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  await rewriter.transform(page).arrayBuffer()
  return results
}

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url)
    try {
      if (request.method === 'POST' && pathname === '/compile') {
        // The same function, in the same runtime, as the worker: selectors are checked too.
        const result = compileConfig(await request.json())
        return Response.json(result.ok ? { ok: true, issues: [] } : result)
      }
      if (request.method === 'POST' && pathname === '/match') {
        return Response.json(await match(await request.json<MatchRequest>()))
      }
      return new Response('not found', { status: 404 })
    } catch (err) {
      return new Response(String((err as Error)?.stack ?? err), { status: 500 })
    }
  },
}
