// Explanations for site owners: a compact `Tailor-Explain` header and, on request, HTML comments.
import type { Facts } from '../context'
import type { Decision } from '../decide'
import { explainDecision } from '../decide'

/** The response header, in dev mode and preview only. */
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
 * One entry per slot: `slot=variant; reason="…"`, comma-separated; `default` when no variant won.
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
