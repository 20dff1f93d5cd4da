// Explanations for site owners: a compact `Tailor-Explain` header and, on request, HTML comments.
import type { Facts } from '../context'
import type { Decision } from '../decide'
import { explainDecision } from '../decide'
import type { SeenRecord } from '../rewrite'

/**
 * The response header, in dev mode and preview only. It lists the decisions, made before the body
 * is seen: a slot may be listed that is not on the page. The end-of-body comment of
 * explainSummary (`?tailor-explain=comments`) says which slots the page really had.
 */
export const EXPLAIN_HEADER = 'Tailor-Explain'
/** Ask for an HTML comment before each slot: `?tailor-explain=comments` or this header set to "comments". */
export const EXPLAIN_PARAM = 'tailor-explain'
export const EXPLAIN_REQUEST_HEADER = 'x-tailor-explain'

const MAX_HEADER = 4000

/** Header values are bytes: keep printable ASCII, percent-encode the rest (and `"`, `%`, `\`). */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]|["%\\]/gu, (ch) => encodeURIComponent(ch))
}

/**
 * One entry per decided slot (every slot whose `paths` apply, whether or not it is on the page):
 * `slot=variant; reason="…"`, comma-separated; `default` when no variant won.
 * Non-ASCII is percent-encoded (decodeURIComponent restores it).
 * @example explainHeader(decisions, facts)
 *   // 'tagline=fr; reason="because your language is French", hero=default; reason="no rule matched, …"'
 */
export function explainHeader(decisions: readonly Decision[], facts: Facts): string {
  const entries = decisions.map(
    (d) =>
      `${d.slot.id}=${d.variant?.id ?? 'default'}; reason="${headerSafe(explainDecision(d, facts))}"`
  )
  let out = ''
  for (const entry of entries) {
    const next = out ? `${out}, ${entry}` : entry
    if (next.length > MAX_HEADER) {
      return `${out}, …`
    }
    out = next
  }
  return out
}

/** Whether the request asks for HTML comments as well. */
export function wantsComments(request: Request): boolean {
  return (
    request.headers.get(EXPLAIN_REQUEST_HEADER) === 'comments' ||
    new URL(request.url).searchParams.get(EXPLAIN_PARAM) === 'comments'
  )
}

/**
 * The text of the comment placed before a slot. Made safe for a comment (HTML: no "--", no ">"),
 * so a reason can never close it early.
 */
export function explainComment(decision: Decision, facts: Facts): string {
  const text = `tailor: ${decision.slot.id} = ${decision.variant?.id ?? 'default'} (${explainDecision(decision, facts)})`
  return text.replace(/-{2,}/g, (m) => m.split('').join(' ')).replace(/[<>]/g, ' ')
}

/**
 * The comment placed at the end of the body in explain-comments mode: only the slots whose
 * selector matched an element of this page, each with its variant, and the template slots that
 * kept the origin's block. Built when the stream reaches `</body>`, so it is the truth about the
 * page. The rewriter makes it comment-safe.
 * @example explainSummary(decisions, { seen: new Set(['hero']), kept: new Set(['hero']) })
 *   // "tailor: on this page: hero = cycling (its template is absent: the origin's block is kept); 2 more decided, not on this page"
 */
export function explainSummary(decisions: readonly Decision[], record: SeenRecord): string {
  const found = decisions.filter((d) => record.seen.has(d.slot.id))
  const missing = decisions.length - found.length
  const entries = found.map((d) => {
    const kept = record.kept.has(d.slot.id)
      ? " (its template is absent: the origin's block is kept)"
      : ''
    return `${d.slot.id} = ${d.variant?.id ?? 'default'}${kept}`
  })
  const list = entries.length ? `on this page: ${entries.join(', ')}` : 'no slot on this page'
  return `tailor: ${list}${missing ? `; ${missing} more decided, not on this page` : ''}`
}
