// The respond step of a page: edits, rewriter, headers, record; the origin's response in, ours out.
import { linkSelector } from '../experiments'
import { batcher } from '../measure'
import type { CountSink } from '../measure'
import { recordPageView } from '../privacy'
import { checkMarkupCharset, personaliseHeaders } from '../proxy'
import type { RewriterOptions, SlotEdit } from '../rewrite'
import { buildRewriter, pingLinksIn, renderEdits, sameForEveryone } from '../rewrite'
import {
  EXPLAIN_HEADER,
  explainComment,
  explainHeader,
  explainSummary,
  previewBanner,
  wantsComments,
} from '../tooling'
import { betAfterStream, betBeforeStream, pingEdits, watchEdits, withBets, writeBets } from './bet'
import type { TailorState } from './state'
import { isOverridden } from './state'

/** The response header that reports a dev-mode simulation's problems. */
export const SIM_ERROR_HEADER = 'Tailor-Sim-Error'

/** When the request started and its clock, for the respond step. */
export type RespondTiming = {
  /** `performance.now()` when the middleware began (for `Server-Timing: tailor;dur=`). */
  started: number
  /** The request's clock, ms since the epoch (signals are recorded at this time). */
  now: number
  /** Where the experiments' counts go (the store binding and `waitUntil`); none: not counted. */
  count?: CountSink
  /** The request's URL when the caller has parsed it already (else parsed here); only read. */
  url?: URL
}

/**
 * The response to send for an origin page (a GET 200 HTML page; `skipReason` said so), in
 * numbered steps. Without edits the origin's body streams through as it is. May throw (the
 * caller fails open to the origin's response).
 * @example c.res = await respond(state, c.req.raw, c.res, { started, now: Date.now() })
 */
export async function respond(
  state: TailorState,
  request: Request,
  origin: Response,
  timing: RespondTiming
): Promise<Response> {
  // 1. Edits: the decisions, plus explain comments and the preview banner, plus the `ping` of
  //    the links inside tested blocks (click goals).
  const edits = editsFor(state, request)
  const { bet } = state
  const path = (timing.url ?? new URL(request.url)).pathname
  if (bet) {
    const pings = pingEdits(bet)
    await pingInsertedLinks(edits, pings)
    // A tested block that already has an edit on the same selector is recorded as seen by that
    // edit's handler: a `watch` handler for it would match the same elements again.
    const watches = watchEdits(bet).filter(
      (w) => !edits.some((e) => e.slot === w.slot && e.selector === w.selector)
    )
    edits.push(...pings, ...watches)
  }

  // 2. Rewriter. A charset declared only in the markup (WHATWG prescan, at most 1,024 bytes held
  // back): anything but UTF-8 passes through untouched, headers included, as when the header
  // says so.
  if (edits.length) {
    const checked = await checkMarkupCharset(origin)
    if (checked.skip) {
      return checked.response
    }
    origin = checked.response
  }
  // Nothing changes for this visitor and nothing is tested: skip the rewriter and stream the
  // origin's bytes. A tested block is watched (a `watch` edit), so its exposure counts only when
  // it is really in the page.
  // Recovery from a parser error (the origin's bytes instead) streams through JavaScript, which
  // costs about 2× the bare rewriter: on in dev and previews only; elsewhere the runtime aborts
  // the transfer (docs/operating.md, "When the HTML is odd").
  // Only the experiments' counting awaits the end of the body (`done`).
  // Edits the same for every visitor, whose handlers nobody asks what they met, share the
  // isolate's rewriter for them (building one per page cost more than the rest of the page).
  // Never with explanations or a preview: their comments and banner are this page's own.
  const rewriting: RewriterOptions = {
    recover: state.explain,
    settle: bet !== undefined,
    shared: !state.explain && bet === undefined && sameForEveryone(state.decisions),
  }
  if (state.explain && wantsComments(request)) {
    // The truth about which slots the page has: a comment before </body>, once it has streamed.
    rewriting.summary = (seen) => explainSummary(state.decisions, seen)
  }
  const rewriter = edits.length ? buildRewriter(edits, rewriting) : undefined
  const body = rewriter ? rewriter.transform(origin) : origin

  // 3. Experiments: page goals and first-exposure bits go into the cookie now (headers leave
  //    before the body); exposures count once the rewriter has read the whole page, from the
  //    blocks it really met (none when the client went away or the page failed).
  const kept = bet && betBeforeStream(bet, state.compiled, path)
  if (bet && kept) {
    if (timing.count && kept.increments.length) {
      batcher.add(kept.increments, timing.count)
    }
    const counted = rewriter
      ? rewriter.done.then((how) => {
          if (how === 'rewritten') {
            betAfterStream(bet, path, rewriter.seen, kept.marked, timing.count)
          }
        })
      : Promise.resolve(betAfterStream(bet, path, new Set(), kept.marked, timing.count))
    timing.count?.waitUntil(counted)
  }
  const res = new Response(body.body, body)

  // 4. Headers: never cached as a shared copy, Vary, timing, and the dev/preview explanations.
  personaliseHeaders(
    res.headers,
    performance.now() - timing.started,
    edits.length > 0 || bet !== undefined
  )
  if (state.explain) {
    res.headers.set(EXPLAIN_HEADER, explainHeader(state.decisions, state.facts))
  }
  if (state.simulation?.issues.length) {
    res.headers.set(
      SIM_ERROR_HEADER,
      state.simulation.issues
        .join(' | ')
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 1000)
    )
  }

  // 5. Record: with consent, this page view adds to the visitor's reading signals, and the
  //    experiments' assignments are kept: one Set-Cookie for both.
  const visitor = withBets(state.visitor, kept?.next)
  let recorded = await recordPageView(
    {
      config: state.compiled.config,
      visitor,
      consent: state.consent,
      keyring: state.keyring,
      overridden: isOverridden(state),
      path,
    },
    timing.now
  )
  if (!recorded && kept?.next && visitor.status === 'valid' && state.keyring) {
    recorded = await writeBets(
      visitor.visitor,
      state.compiled.config.cookie,
      state.keyring,
      timing.now
    )
  }
  if (recorded) {
    res.headers.append('set-cookie', recorded)
  }
  return res
}

/**
 * Step 1: the edits for this response, in order: explain comments (dev or preview, when asked
 * for), the decisions, then the preview banner.
 * @example editsFor(state, request).map((e) => e.kind) // ['html', 'prepend']
 */
export function editsFor(state: TailorState, request: Request): SlotEdit[] {
  const edits = renderEdits(state.decisions, state.facts, state.compiled)
  if (state.explain && wantsComments(request)) {
    const comments = state.decisions.map((d): SlotEdit => ({
      selector: d.slot.selector,
      slot: d.slot.id,
      kind: 'comment',
      text: explainComment(d, state.facts),
    }))
    edits.unshift(...comments)
  }
  if (state.preview) {
    edits.push({
      selector: 'body',
      kind: 'prepend',
      html: previewBanner(state.preview.data, state.preview.expiresAt),
    })
  }
  return edits
}

/**
 * The click pings of a tested block whose arm inserts HTML (an `html` variant): its ping edits
 * (selector `<slot> a[href]`) never meet the inserted links, which the rewriter does not parse, so
 * they go into the inserted HTML itself. Replaces those `html` edits in `edits`.
 */
async function pingInsertedLinks(edits: SlotEdit[], pings: readonly SlotEdit[]): Promise<void> {
  for (const [i, edit] of edits.entries()) {
    if (edit.kind !== 'html') {
      continue
    }
    const links = linkSelector(edit.selector)
    const urls = pings.flatMap((p) =>
      p.kind === 'attributes' && p.selector === links
        ? p.set.filter(([name]) => name === 'ping').map(([, url]) => url)
        : []
    )
    if (urls.length) {
      edits[i] = { ...edit, html: await pingLinksIn(edit.html, urls) }
    }
  }
}
