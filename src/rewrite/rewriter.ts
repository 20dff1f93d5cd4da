// HTMLRewriter handlers that apply slot edits to a streaming HTML response, and what they saw.
import { errorText, logWarn } from '../log'
import type { SlotEdit } from './edits'
import { MarkerStage, markerNonce, markerPrefix } from './markers'

const TEMPLATE = 'template[data-tailor-variant]'

/**
 * A value as attribute source text. `getAttribute` returns the source text (entities not decoded)
 * and `setAttribute` escapes only `"` (lol-html, checked in workerd 2026-11), so a value we write
 * must have its `&` escaped here, or `?a=1&copy=2` would read as `?a=1©=2`.
 */
function attributeText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')
}

/**
 * The `ping` attribute with `url` added. WHATWG HTML: `ping` is a set of space-separated URLs,
 * each pinged on a click, so the site's own (its analytics) stay, as written, and ours joins them;
 * a URL already in the list is not added again. `current` is source text (see attributeText).
 * @example withPing('https://stats.example/p?a=1&amp;b=2', '/_tailor/ping/t') // 'https://stats.example/p?a=1&amp;b=2 /_tailor/ping/t'
 */
function withPing(current: string | null, url: string): string {
  const added = attributeText(url)
  // ASCII whitespace (WHATWG Infra) separates the tokens of a set of space-separated tokens.
  const kept = (current ?? '').replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '')
  if (kept.split(/[\t\n\f\r ]+/).includes(added)) {
    return kept
  }
  return kept ? `${kept} ${added}` : added
}

/**
 * `html` with `urls` added to the `ping` of each of its links. Content that an `html` edit inserts
 * is never parsed by the page's rewriter (lol-html runs handlers on the origin's markup only), so
 * the links of an inserted variant get their click pings here, before the stream starts.
 * @example await pingLinksIn('<a href="/a">A</a>', ['/_tailor/ping/t']) // '<a href="/a" ping="/_tailor/ping/t">A</a>'
 */
export async function pingLinksIn(html: string, urls: readonly string[]): Promise<string> {
  if (!urls.length) {
    return html
  }
  const rewriter = new HTMLRewriter().on('a[href]', {
    element(el) {
      el.setAttribute(
        'ping',
        urls.reduce<string>((list, url) => withPing(list, url), el.getAttribute('ping') ?? '')
      )
    },
  })
  return rewriter.transform(new Response(html)).text()
}

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

/** Which slots the handlers met in this response. Complete once `done` has settled. */
export type SeenRecord = {
  /** Slot ids whose selector matched at least one element, in the order first met. */
  readonly seen: ReadonlySet<string>
  /**
   * Slot ids of `template` edits where an element kept the origin's content: its chosen
   * `<template>` was absent, or further in than HOLD_LIMIT bytes.
   */
  readonly kept: ReadonlySet<string>
}

/**
 * How the body ended. `rewritten`: streamed to the end through the rewriter. `origin`: the parser
 * failed before anything of ours was sent, so the rest of the origin's bytes were sent instead
 * (the client got the origin's page, byte for byte). `failed`: the parser or the origin failed
 * after a change was made; the body errored so the transfer visibly fails. `cancelled`: the
 * client went away.
 */
export type RewriteOutcome = 'rewritten' | 'origin' | 'failed' | 'cancelled'

/** Per-response hooks. */
export type RewriterOptions = {
  /**
   * Called once per slot id, the first time one of its edits' handlers fires on an element of
   * this response (the block is in the streamed page). Must not throw; a throw is ignored.
   */
  onSeen?: (slot: string) => void
  /**
   * Text of an HTML comment placed before `</body>` (at the very end when the page has none),
   * called when the stream reaches it, so the record is complete for every slot before it.
   * The text is made comment-safe here. Return '' for no comment.
   */
  summary?: (record: SeenRecord) => string
  /**
   * Default true: keep the origin's read-but-unsent bytes while nothing has changed, so a parser
   * error sends the origin's page instead of a cut one; the output then streams through JS.
   * `false` lets the runtime stream the rewriter's output directly when no template edit and no
   * summary needs the byte stage (about 2.3× faster per 100 KB page, measured in workerd): a
   * parser error is then the runtime's to show (current workerd aborts the transfer; 2026-04-26,
   * as in wrangler 4.86, ends it cleanly), and `done` settles ('rewritten') when the document
   * has ended, or never (a parser error, an origin that fails, a visitor who leaves).
   */
  recover?: boolean
  /**
   * Default true: `done` settles once the body has ended. `false` on the fast path (no stage, no
   * recovery): nothing calls back into JavaScript at the document's end, and `done` never
   * settles. For a page whose end nobody awaits (no experiment counts on it): the callback cost
   * every such page a call into the isolate that the bare rewriter does not make (issue 9).
   */
  settle?: boolean
  /**
   * Default false. True when the edits hold nothing of one visitor's (`sameForEveryone`) and
   * nothing reads what the handlers meet: on the fast path (no stage, no recovery), with
   * `settle: false` and no `onSeen`, the isolate then keeps one HTMLRewriter per list of edits and
   * every response with the same edits is transformed by it. Each `.on()` parses its selector in
   * the runtime: building 10 handlers per page cost about 0.3 ms of CPU under load, more than
   * the rest of Tailor's page (issue 9). `seen` and `kept` then stay empty. Ignored elsewhere.
   */
  shared?: boolean
}

/** One response's rewriter: transform once, read the record when `done` settles. */
export type Rewriter = SeenRecord & {
  /** The response with its body rewritten as it streams. Call once per Rewriter. */
  transform(response: Response): Response
  /** Settles (never rejects) when the body has ended, however it ended. */
  readonly done: Promise<RewriteOutcome>
}

/** A comment's text cannot end it early or hold "--" (WHATWG HTML: comments). */
function commentSafe(text: string): string {
  return text.replace(/-{2,}/g, (m) => m.split('').join(' ')).replace(/[<>]/g, ' ')
}

const HTML = { html: true }
const enc = new TextEncoder()

/** An edit that is not a template's: a template's handlers need the byte stage. */
type PlainEdit = Exclude<SlotEdit, { kind: 'template' }>

/** The handler of one edit; `fire` is told first, each time it meets an element. */
function handlerFor(
  edit: PlainEdit,
  fire: (edit: SlotEdit) => void
): HTMLRewriterElementContentHandlers {
  const act = actionOf(edit)
  return {
    element(el) {
      fire(edit)
      act(el)
    },
  }
}

/** What one edit does to each element it meets. */
function actionOf(edit: PlainEdit): (el: Element) => void {
  switch (edit.kind) {
    case 'html':
      return (el) => void el.setInnerContent(edit.html, HTML)
    case 'text':
      return (el) => void el.setInnerContent(edit.text, { html: false })
    case 'attributes':
      return (el) => {
        for (const name of edit.remove) {
          el.removeAttribute(name)
        }
        for (const [name, value] of edit.set) {
          el.setAttribute(
            name,
            name.toLowerCase() === 'ping'
              ? withPing(el.getAttribute(name), value)
              : attributeText(value)
          )
        }
        if (edit.addClass.length || edit.removeClass.length) {
          el.setAttribute(
            'class',
            editClasses(el.getAttribute('class'), edit.addClass, edit.removeClass)
          )
        }
      }
    case 'remove':
      return (el) => void el.remove()
    case 'hide':
      return (el) => void el.setAttribute('hidden', '')
    case 'prepend':
      return (el) => void el.prepend(edit.html, HTML)
    case 'comment':
      return (el) => void el.before(`<!-- ${edit.text} -->`, HTML)
    case 'watch':
      // Changes nothing: `fire` records the slot.
      return () => {}
  }
}

/** How many shared rewriters an isolate keeps (the oldest goes first). */
const SHARED_MAX = 32
const sharedRewriters = new Map<string, HTMLRewriter>()
const unrecorded = () => {}

/**
 * What makes two lists of edits the same: each edit's kind, selector and content, in order, each
 * part preceded by its length, so no content can pass for another list's.
 */
function editsKey(edits: readonly PlainEdit[]): string {
  let key = ''
  for (const edit of edits) {
    let content = ''
    switch (edit.kind) {
      case 'html':
      case 'prepend':
        content = edit.html
        break
      case 'text':
      case 'comment':
        content = edit.text
        break
      case 'attributes':
        content = JSON.stringify([edit.set, edit.remove, edit.addClass, edit.removeClass])
        break
    }
    key += `${edit.kind}:${edit.selector.length}:${edit.selector}${content.length}:${content}`
  }
  return key
}

/** The isolate's HTMLRewriter for these edits, built on first use (see `shared`). */
function sharedRewriter(edits: readonly PlainEdit[]): HTMLRewriter {
  const key = editsKey(edits)
  let rewriter = sharedRewriters.get(key)
  if (!rewriter) {
    rewriter = new HTMLRewriter()
    for (const edit of edits) {
      rewriter = rewriter.on(edit.selector, handlerFor(edit, unrecorded))
    }
    if (sharedRewriters.size >= SHARED_MAX) {
      sharedRewriters.delete(sharedRewriters.keys().next().value as string)
    }
    sharedRewriters.set(key, rewriter)
  }
  return rewriter
}

/** The record of a shared rewriter: nothing is recorded. */
const NOTHING: ReadonlySet<string> = new Set()

/**
 * Build one response's rewriter for all edits. Handlers only apply values rendered before the
 * stream started, so none of them can throw on visitor data.
 *
 * The record: `seen` fills as handlers fire and is complete when `done` settles; `onSeen` is told
 * at once (an experiment can count an exposure from it on a 200 HTML page). `done` says whether
 * the page the client got was the rewritten one.
 *
 * Parser errors: lol-html refuses some legal but odd markup (`<select><plaintext>`,
 * `<frameset><plaintext>`: "ParsingAmbiguityError"). Returned as is, the runtime would end such
 * a body cleanly, cut short. Here, when no edit has changed anything yet, the client gets the
 * rest of the origin's bytes instead (what was sent so far is the origin's own prefix); after a
 * change, the body errors so the transfer fails visibly and no cache keeps it.
 *
 * @example
 * const rewriter = buildRewriter([{ selector: '#tagline', slot: 'tagline', kind: 'text', text: 'Bonjour' }])
 * const res = rewriter.transform(originResponse)
 * ctx.waitUntil(rewriter.done.then((how) => how === 'rewritten' && count(rewriter.seen)))
 */
export function buildRewriter(edits: readonly SlotEdit[], options: RewriterOptions = {}): Rewriter {
  const templates = edits.filter((e) => e.kind === 'template')
  const staged = templates.length > 0 || options.summary !== undefined
  // Without a stage and without recovery, the runtime streams the rewriter's output itself.
  const fast = !staged && options.recover === false
  if (fast && options.shared === true && options.settle === false && options.onSeen === undefined) {
    // The fast path has no template edits.
    const rewriter = sharedRewriter(edits as readonly PlainEdit[])
    return {
      seen: NOTHING,
      kept: NOTHING,
      // Never settles, as with `settle: false`; one per page, so no reaction outlives its page.
      done: new Promise<RewriteOutcome>(() => {}),
      transform: (response) => rewriter.transform(response),
    }
  }
  const seen = new Set<string>()
  const kept = new Set<string>()
  const record: SeenRecord = { seen, kept }
  // Whether anything differs from the origin's bytes yet (a handler changed or marked something).
  let changed = false

  const fire = (edit: SlotEdit) => {
    if (edit.kind !== 'watch') {
      changed = true
    }
    if (edit.slot !== undefined && !seen.has(edit.slot)) {
      seen.add(edit.slot)
      try {
        options.onSeen?.(edit.slot)
      } catch (err) {
        logWarn('rewrite', `onSeen threw: ${errorText(err)}`)
      }
    }
  }

  const nonce = staged ? markerNonce() : ''
  const marker = (kind: string, index: number) => `${markerPrefix(nonce)}${kind}${index}-->`

  let rewriter = new HTMLRewriter()
  for (const edit of edits) {
    if (edit.kind !== 'template') {
      rewriter = rewriter.on(edit.selector, handlerFor(edit, fire))
      continue
    }
    const index = templates.indexOf(edit)
    rewriter = rewriter
      .on(edit.selector, {
        element(el) {
          fire(edit)
          // Mark the slot's content; the stage decides once it knows if the template is there.
          try {
            el.onEndTag((end) => void end.before(marker('E', index), HTML))
            el.prepend(marker('S', index), HTML)
          } catch {
            // An element that cannot have content (void): nothing to pick, left as it is.
          }
        },
      })
      .on(`${edit.selector} ${TEMPLATE}`, {
        element(el) {
          if (el.getAttribute('data-tailor-variant') !== edit.id) {
            return
          }
          try {
            el.onEndTag((end) => void end.before(marker('C', index), HTML))
            el.prepend(marker('I', index), HTML)
          } catch {
            // As above: without an end tag there is no content to show.
          }
        },
      })
  }
  if (options.summary) {
    let marked = false
    rewriter = rewriter.on('body', {
      element(el) {
        if (marked) {
          return
        }
        marked = true
        try {
          el.onEndTag((end) => {
            changed = true
            end.before(marker('B', 0), HTML)
          })
        } catch {
          // No end tag to put it before: the stage adds it at the end.
        }
      },
    })
  }

  let settle: (outcome: RewriteOutcome) => void = () => {}
  const done = new Promise<RewriteOutcome>((resolve) => {
    settle = resolve
  })

  function transform(response: Response): Response {
    const source = response.body
    if (!source) {
      settle('rewritten')
      return rewriter.transform(response)
    }
    if (fast) {
      // No JS on either side: the runtime feeds the origin's stream to the rewriter and sends its
      // output. A JS pull stream on the input (to see the end) cost ~2.5 ms of CPU per 100 KB page
      // in workerd, more than the rewriting itself (bench, issue 9); the document's end is seen here.
      const watched =
        options.settle === false
          ? rewriter
          : rewriter.onDocument({ end: () => settle('rewritten') })
      return watched.transform(response)
    }
    // Locked on first read, so a transform() that throws leaves the response readable (fail open).
    let locked: ReadableStreamDefaultReader<Uint8Array> | undefined
    const reader = () => (locked ??= source.getReader())
    // The origin's bytes read but not yet sent, from input offset `pendingAt`; kept only while
    // nothing has changed, so a parser error can still send the origin's page instead.
    let pending: Uint8Array[] = []
    let pendingAt = 0
    let sent = 0 // bytes of the rewriter's output taken so far
    let inflight: Promise<void> = Promise.resolve()
    let clientGone = false

    const input = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          inflight = (async () => {
            const next = await reader().read()
            if (next.done) {
              controller.close()
              return
            }
            if (!changed) {
              // A copy: the runtime may detach the buffer it is handed.
              pending.push(next.value.slice())
            }
            controller.enqueue(next.value)
          })()
          return inflight
        },
        cancel(reason) {
          // The rewriter gives up its input on a parser error: keep the origin's stream for the
          // fallback. Only a client that went away ends it.
          return clientGone ? reader().cancel(reason) : undefined
        },
      },
      // Read only when the rewriter asks (no read-ahead at construction).
      { highWaterMark: 0 }
    )
    const transformed = rewriter.transform(
      new Response(input, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      })
    )
    const output = (transformed.body as ReadableStream<Uint8Array>).getReader()

    let out: ReadableStreamDefaultController<Uint8Array> | undefined
    let wrote = false
    const emit = (bytes: Uint8Array) => {
      wrote = true
      out?.enqueue(bytes)
    }
    const stage = staged
      ? new MarkerStage(nonce, {
          emit,
          kept: (index) => {
            const slot = templates[index]?.slot
            if (slot !== undefined) {
              kept.add(slot)
            }
          },
          summary: () => {
            const text = options.summary ? commentSafe(options.summary(record)) : ''
            return text ? enc.encode(`<!-- ${text} -->`) : undefined
          },
        })
      : undefined

    /** Drop the pending input the client already has (it came out of the rewriter unchanged). */
    function trim() {
      if (changed) {
        pending = []
        return
      }
      while (pending.length && pendingAt + (pending[0] as Uint8Array).byteLength <= sent) {
        pendingAt += (pending.shift() as Uint8Array).byteLength
      }
    }

    /** Keep the origin's page whole after a parser error, else fail the transfer. */
    async function recover(controller: ReadableStreamDefaultController<Uint8Array>, err: unknown) {
      if (changed) {
        logWarn('rewrite', `stream failed after a change, ending it in error: ${errorText(err)}`)
        settle('failed')
        await reader()
          .cancel(err)
          .catch(() => {})
        controller.error(err)
        return
      }
      logWarn('rewrite', `parser gave up, sending the origin's bytes: ${errorText(err)}`)
      await inflight.catch(() => {})
      stage?.end(false)
      trim()
      const first = pending[0]
      if (first) {
        controller.enqueue(first.subarray(sent - pendingAt))
        for (const bytes of pending.slice(1)) {
          controller.enqueue(bytes)
        }
      }
      pending = []
      origin = true
    }

    let origin = false // sending the origin's bytes straight from `reader`
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          out = controller
        },
        async pull(controller) {
          // Loop until something is enqueued: a pull that enqueues nothing is not called again.
          for (;;) {
            if (origin) {
              try {
                const next = await reader().read()
                if (next.done) {
                  settle('origin')
                  controller.close()
                } else {
                  controller.enqueue(next.value)
                }
              } catch (err) {
                settle('failed')
                controller.error(err)
              }
              return
            }
            let next: ReadableStreamReadResult<Uint8Array>
            try {
              next = await output.read()
            } catch (err) {
              await recover(controller, err)
              if (origin) {
                continue
              }
              return
            }
            if (next.done) {
              stage?.end(true)
              settle('rewritten')
              controller.close()
              return
            }
            sent += next.value.byteLength
            trim()
            if (!stage) {
              controller.enqueue(next.value)
              return
            }
            wrote = false
            stage.push(next.value)
            if (wrote) {
              return
            }
          }
        },
        cancel(reason) {
          clientGone = true
          settle('cancelled')
          return Promise.all([output.cancel(reason), reader().cancel(reason)]).then(() => {})
        },
      },
      { highWaterMark: 0 }
    )
    return new Response(body, transformed)
  }

  return { seen, kept, done, transform }
}
