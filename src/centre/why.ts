// "Why this page looks as it does": decide a page again for this visitor, and say why in words.
import type { ReferrerKind } from '../context'
import { REFERRER_KINDS, sameVisitorRequest } from '../context'
import type { Decision } from '../decide'
import { explainDecision } from '../decide'
import type { TailorState } from '../personalise'

/** One block of the page: what it showed and why. */
export type WhyRow = {
  slot: string
  /** The block's label from the config ("Featured story"). */
  block: string
  /** The variant's id, or undefined for the page's own content. */
  variant: string | undefined
  /** The variant's label, or "the page's own content". */
  shown: string
  /** "because your language is French", "no rule matched, so the page shows its own content". */
  reason: string
}

export type WhyView = {
  /** The page explained (a same-origin path, with its campaign query if any). */
  from: string
  paused: boolean
  rows: WhyRow[]
  /** The state the page was decided with (its facts are what the centre shows as "read"). */
  state: TailorState
}

// A Referer that `classifyReferrer` files under each kind: the why-link carries only the kind,
// never the URL, and the centre must decide the page as it was decided.
const REFERER_FOR: Record<ReferrerKind, ((origin: string) => string) | undefined> = {
  search: () => 'https://www.google.com/',
  social: () => 'https://t.co/',
  email: () => 'https://mail.google.com/',
  internal: (origin) => `${origin}/`,
  other: () => 'https://example.org/',
  none: undefined,
}

/** A referrer kind from a query value, or undefined. */
export function referrerKindOf(value: unknown): ReferrerKind | undefined {
  return typeof value === 'string' && (REFERRER_KINDS as readonly string[]).includes(value)
    ? (value as ReferrerKind)
    : undefined
}

/** A slot that holds only the why-link is not a block the visitor asks about. */
function isWhyLinkSlot(decision: Decision): boolean {
  return decision.slot.variants.some((v) => v.action.type === 'why')
}

/**
 * The request to decide `from` again for this visitor: that path with the visitor's own headers
 * (cookie, Accept-Language, User-Agent) and `request.cf`, as the page's own request had them. The
 * referrer is the kind the why-link carried (`ref`), absent when none. Read it with the same
 * `read` step the middleware runs, then put it into words with `whyView`.
 * @example whyRequest(request, '/', 'search').headers.get('referer') // 'https://www.google.com/'
 */
export function whyRequest(request: Request, from: string, ref: ReferrerKind | undefined): Request {
  const url = new URL(from, request.url)
  const headers = new Headers(request.headers)
  headers.delete('referer')
  const referer = ref ? REFERER_FOR[ref]?.(url.origin) : undefined
  if (referer) {
    headers.set('referer', referer)
  }
  return sameVisitorRequest(request, url, headers)
}

/**
 * Each block of the page `state` was read for (`whyRequest`), what it shows and why in words.
 * @example whyView(state).rows[0]
 * // { slot: 'tagline', block: 'Tagline under the logo', variant: 'fr', shown: 'French tagline',
 * //   reason: 'because your language is French' }
 */
export function whyView(state: TailorState, request: Request): WhyView {
  const url = new URL(request.url)
  const paused = state.visitor.status === 'valid' && state.visitor.visitor.paused === true
  const rows = state.decisions
    .filter((d) => !isWhyLinkSlot(d))
    .map((d): WhyRow => ({
      slot: d.slot.id,
      block: d.slot.label,
      variant: d.variant?.id,
      shown: d.variant?.label ?? 'the page’s own content',
      reason:
        paused && !d.forced
          ? 'personalisation is paused, so the page shows its own content'
          : explainDecision(d, state.facts),
    }))
  return { from: `${url.pathname}${url.search}`, paused, rows, state }
}
