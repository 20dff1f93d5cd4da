// Benchmark variant (c): the DOM-parse peer. Buffer the page, parse it with linkedom, edit, serialise.
import { parseHTML } from 'linkedom/worker'
import { EDIT_HTML, slotSelector } from '../configs'

type Env = { ORIGIN: string; HANDLERS: number }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const res = await fetch(env.ORIGIN + url.pathname + url.search, { headers: request.headers })
    const { document } = parseHTML(await res.text())
    for (let i = 0; i < env.HANDLERS; i++) {
      const el = document.querySelector(slotSelector(i))
      if (el) {
        el.innerHTML = EDIT_HTML
      }
    }
    const headers = new Headers(res.headers)
    headers.delete('content-length')
    return new Response(document.toString(), { status: res.status, headers })
  },
}
