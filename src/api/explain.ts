// "Why this page looks as it does" for the centre and the API: the page's read step run again.
import type { ReferrerKind } from '../context'
import type { WhyView } from '../centre'
import { whyRequest, whyView } from '../centre'
import type { TailorBindings } from '../env'
import type { LiveSite, Runtime } from '../personalise'
import { read, readInputFor } from '../personalise'

/**
 * Decide `from` again for this visitor, with the same `read` step the middleware runs (see
 * `whyRequest`), and put each block into words. Undefined when Tailor is not configured.
 * @example (await explainPage(runtime, request, env, live, now, '/', 'search'))?.rows[0]?.reason
 * // 'because your language is French'
 */
export async function explainPage(
  runtime: Runtime,
  request: Request,
  env: TailorBindings | undefined,
  live: LiveSite,
  now: number,
  from: string,
  ref: ReferrerKind | undefined
): Promise<WhyView | undefined> {
  const page = whyRequest(request, from, ref)
  // The site of the page explained: the same host as the centre, so the same live config.
  const state = await read(await readInputFor(runtime, page, env, live, now))
  return state && whyView(state, page)
}
