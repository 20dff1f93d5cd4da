// HTMLRewriter handlers that apply slot edits to a streaming HTML response.
import type { SlotEdit } from './edits'

const TEMPLATE = 'template[data-tailor-variant]'

function editClasses(
  current: string | null,
  add: readonly string[],
  remove: readonly string[]
): string {
  const classes = new Set((current ?? '').split(/\s+/).filter(Boolean))
  for (const c of remove) {
    classes.delete(c)
  }
  for (const c of add) {
    classes.add(c)
  }
  return [...classes].join(' ')
}

/**
 * Show one `<template data-tailor-variant="ID">` the origin ships inside the slot, in place of the
 * slot's other content.
 *
 * Beware: HTMLRewriter has no innerHTML. The chosen template's tags are removed and its content
 * kept; every other child element and text chunk of the slot is removed as it streams past. Text
 * arrives in fragments (a chunk boundary may fall anywhere), so the handler keeps only a flag of
 * whether it is inside the chosen template, never the text itself. If the page lacks the chosen
 * template, the slot ends up empty: `npm run check -- --against URL` reports that.
 */
function addTemplatePick(rewriter: HTMLRewriter, selector: string, id: string): HTMLRewriter {
  let depth = 0 // > 0 while inside the chosen template
  return rewriter
    .on(`${selector} ${TEMPLATE}`, {
      element(el) {
        if (el.getAttribute('data-tailor-variant') === id && depth === 0) {
          depth = 1
          el.removeAndKeepContent()
          el.onEndTag(() => {
            depth = 0
          })
        } else if (depth === 0) {
          el.remove()
        }
      },
    })
    .on(`${selector} > :not(template)`, {
      element(el) {
        if (depth === 0) {
          el.remove()
        }
      },
    })
    .on(selector, {
      text(chunk) {
        if (depth === 0) {
          chunk.remove()
        }
      },
      comments(comment) {
        if (depth === 0) {
          comment.remove()
        }
      },
    })
}

/**
 * Build one HTMLRewriter for all edits. Handlers only apply values rendered before the stream
 * started, so none of them can throw on visitor data.
 * @example buildRewriter([{ selector: '#tagline', kind: 'text', text: 'Bonjour' }]).transform(res)
 */
export function buildRewriter(edits: readonly SlotEdit[]): HTMLRewriter {
  let rewriter = new HTMLRewriter()
  for (const edit of edits) {
    switch (edit.kind) {
      case 'html':
        rewriter = rewriter.on(edit.selector, {
          element: (el) => void el.setInnerContent(edit.html, { html: true }),
        })
        break
      case 'text':
        rewriter = rewriter.on(edit.selector, {
          element: (el) => void el.setInnerContent(edit.text, { html: false }),
        })
        break
      case 'template':
        rewriter = addTemplatePick(rewriter, edit.selector, edit.id)
        break
      case 'attributes':
        rewriter = rewriter.on(edit.selector, {
          element(el) {
            for (const name of edit.remove) {
              el.removeAttribute(name)
            }
            for (const [name, value] of edit.set) {
              el.setAttribute(name, value)
            }
            if (edit.addClass.length || edit.removeClass.length) {
              el.setAttribute(
                'class',
                editClasses(el.getAttribute('class'), edit.addClass, edit.removeClass)
              )
            }
          },
        })
        break
      case 'remove':
        rewriter = rewriter.on(edit.selector, { element: (el) => void el.remove() })
        break
      case 'hide':
        rewriter = rewriter.on(edit.selector, {
          element: (el) => void el.setAttribute('hidden', ''),
        })
        break
      case 'prepend':
        rewriter = rewriter.on(edit.selector, {
          element: (el) => void el.prepend(edit.html, { html: true }),
        })
        break
      case 'comment':
        rewriter = rewriter.on(edit.selector, {
          element: (el) => void el.before(`<!-- ${edit.text} -->`, { html: true }),
        })
        break
    }
  }
  return rewriter
}
