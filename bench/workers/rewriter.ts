// Benchmark variant (b): a bare HTMLRewriter with as many handlers as Tailor's config has slots.
import { EDIT_HTML, harnessSelector, slotSelector } from '../configs'

// SELECTORS "harness": the outside harness's `[data-slot="…"]` page (issue 9).
type Env = { ORIGIN: string; HANDLERS: number; SELECTORS?: 'harness' }

let selectors: string[] | undefined

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const selector = env.SELECTORS === 'harness' ? harnessSelector : slotSelector
    selectors ??= Array.from({ length: env.HANDLERS }, (_, i) => selector(i))
    const url = new URL(request.url)
    const res = await fetch(env.ORIGIN + url.pathname + url.search, { headers: request.headers })
    let rewriter = new HTMLRewriter()
    for (const selector of selectors) {
      rewriter = rewriter.on(selector, {
        element: (el) => void el.setInnerContent(EDIT_HTML, { html: true }),
      })
    }
    const out = rewriter.transform(res)
    return new Response(out.body, out)
  },
}
