// Benchmark: Tailor's cost per page, whole and piece by piece, timed in loops inside one isolate
// with the origin stubbed (bench/micro.ts drives it; CPU comes from the process's schedstat).
import { Hono } from 'hono/tiny'
import { createApp, createPageApp } from '../../src/app'
import { createEdgeCache, storeDecision } from '../../src/cache'
import type { TailorBindings } from '../../src/env'
import { origin } from '../../src/middleware'
import type { TailorState } from '../../src/personalise'
import { createRuntime, read, readInputFor } from '../../src/personalise'
import { originHref, originRequestInit, personaliseHeaders, skipReason } from '../../src/proxy'
import { buildRewriter, renderEdits } from '../../src/rewrite'
import { benchConfig, betConfig, EDIT_HTML, harnessConfig, harnessSelector } from '../configs'

// The experiments' store, for the cases with 2 running experiments.
export { ExperimentStore } from '../../src/measure'

// PAGE: the harness page (issue 9); BENCH_PAGE: the 100 KB bench page (the experiments' cases).
type Env = TailorBindings & { PAGE: string; BENCH_PAGE: string }

const ORIGIN = 'http://origin.test'
let harnessPage: Uint8Array | undefined
let benchPage: Uint8Array | undefined
// Per case: which page, and whole or its first 2 KB (a case that never reads the body gets a
// small one: a 100 KB copy per call is only GC noise).
let useBench = false
let small = true

/**
 * The origin, stubbed as the runtime's fetch behaves: the request is copied (a new Request, its
 * headers too), and the answer carries what a Node origin sends.
 */
const originFetch = async (input?: RequestInfo | URL, init?: RequestInit) => {
  if (input !== undefined) {
    void new Request(input, init)
  }
  const full = (useBench ? benchPage : harnessPage) as Uint8Array
  const body = small ? full.subarray(0, 2048) : full
  return new Response(body, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-length': String(body.byteLength),
      date: 'Sun, 29 Nov 2026 03:00:00 GMT',
      connection: 'keep-alive',
      'keep-alive': 'timeout=30',
    },
  })
}

let app: ReturnType<typeof createApp> | undefined
let pageApp: ReturnType<typeof createPageApp> | undefined
let betApp: ReturnType<typeof createApp> | undefined
let noBetApp: ReturnType<typeof createApp> | undefined
let runtime: ReturnType<typeof createRuntime> | undefined
let state: TailorState | undefined
const honoPass = new Hono()
honoPass.all('*', (c) => {
  const url = new URL(c.req.url)
  return fetch(ORIGIN + url.pathname + url.search, { headers: c.req.raw.headers })
})
const originOnly = new Hono()
originOnly.all('*', origin({}))
const edge = createEdgeCache({})
const selectors = Array.from({ length: 10 }, (_, i) => harnessSelector(i))
let shared: HTMLRewriter | undefined

type Case = (request: Request, env: Env, ctx: ExecutionContext) => Promise<unknown> | unknown

/** Read a body to its end (the rewriter works as it is read). */
const drain = async (res: Response) => {
  await res.arrayBuffer()
}

async function harnessState(request: Request, env: Env): Promise<TailorState> {
  runtime ??= createRuntime({ config: harnessConfig(10) })
  const now = Date.now()
  const site = await runtime.liveSite(request, env, now)
  state ??= await read(await readInputFor(runtime, request, env, site, now, true))
  if (!state) {
    throw new Error('no state')
  }
  return state
}

const cases: Record<string, Case> = {
  // The floor: what the pass-through worker does.
  async pass(request) {
    const url = new URL(request.url)
    return fetch(ORIGIN + url.pathname + url.search, { headers: request.headers })
  },
  async passDrain(request) {
    const url = new URL(request.url)
    await drain(await fetch(ORIGIN + url.pathname + url.search, { headers: request.headers }))
  },
  // The bare 10-handler rewriter.
  async rewriterDrain(request) {
    const url = new URL(request.url)
    const res = await fetch(ORIGIN + url.pathname + url.search, { headers: request.headers })
    let rewriter = new HTMLRewriter()
    for (const selector of selectors) {
      rewriter = rewriter.on(selector, {
        element: (el) => void el.setInnerContent(EDIT_HTML, { html: true }),
      })
    }
    const out = rewriter.transform(res)
    await drain(new Response(out.body, out))
  },
  // The same rewriter kept for the isolate (built on first use), as Tailor's shared rewriter.
  async sharedRewriterDrain(request) {
    const url = new URL(request.url)
    const res = await fetch(ORIGIN + url.pathname + url.search, { headers: request.headers })
    if (!shared) {
      shared = new HTMLRewriter()
      for (const selector of selectors) {
        shared = shared.on(selector, {
          element: (el) => void el.setInnerContent(EDIT_HTML, { html: true }),
        })
      }
    }
    const out = shared.transform(res)
    await drain(new Response(out.body, out))
  },
  // Hono with one route that passes through; the origin handler alone.
  hono: (request, env, ctx) => honoPass.fetch(request, env, ctx),
  originOnly: (request, env, ctx) => originOnly.fetch(request, env, ctx),
  // The whole app with the harness's config (issue 9).
  app(request, env, ctx) {
    app ??= createApp({ config: harnessConfig(10) })
    return app.fetch(request, env, ctx)
  },
  // The page worker (src/worker.ts) with the harness's config: the deployed page path.
  page(request, env, ctx) {
    pageApp ??= createPageApp({ config: harnessConfig(10) })
    return pageApp.fetch(request, env, ctx)
  },
  async pageDrain(request, env, ctx) {
    pageApp ??= createPageApp({ config: harnessConfig(10) })
    await drain(await pageApp.fetch(request, env, ctx))
  },
  async appDrain(request, env, ctx) {
    app ??= createApp({ config: harnessConfig(10) })
    await drain(await app.fetch(request, env, ctx))
  },
  // The 10-slot bench page with a cookie, without and with 2 running experiments (issue 11).
  noBet(request, env, ctx) {
    noBetApp ??= createApp({ config: benchConfig(10) })
    return noBetApp.fetch(request, env, ctx)
  },
  bet(request, env, ctx) {
    betApp ??= createApp({ config: betConfig() })
    return betApp.fetch(request, env, ctx)
  },
  async noBetDrain(request, env, ctx) {
    noBetApp ??= createApp({ config: benchConfig(10) })
    await drain(await noBetApp.fetch(request, env, ctx))
  },
  async betDrain(request, env, ctx) {
    betApp ??= createApp({ config: betConfig() })
    await drain(await betApp.fetch(request, env, ctx))
  },
  // Pieces.
  originRequest(request) {
    const url = new URL(request.url)
    return originFetch(
      originHref(url, new URL(ORIGIN)),
      originRequestInit(request, '__Host-tailor')
    )
  },
  originResponse: () => originFetch(),
  storeDecision: async () => storeDecision(await originFetch()),
  skipReason: async () => skipReason('GET', await originFetch()),
  async personaliseHeaders() {
    const res = await originFetch()
    const out = new Response(res.body, res)
    personaliseHeaders(out.headers, 1, false)
    return out
  },
  async edgeKeep(request) {
    return edge?.keep(request, new URL(request.url), await originFetch(), Date.now(), () => {})
  },
  read: (request, env) => harnessState(request, env),
  async renderEdits(request, env) {
    const s = await harnessState(request, env)
    return renderEdits(s.decisions, s.facts, s.compiled)
  },
  async buildRewriter(request, env) {
    const s = await harnessState(request, env)
    return buildRewriter(renderEdits(s.decisions, s.facts, s.compiled), { recover: false })
  },
}

/**
 * GET /micro?case=NAME&calls=N (with `accept-language`, and `x-cookie` for the bench page's
 * cases): N calls of one case, one after another.
 */
export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    harnessPage ??= new TextEncoder().encode(env.PAGE)
    benchPage ??= new TextEncoder().encode(env.BENCH_PAGE)
    globalThis.fetch = originFetch as typeof fetch
    const url = new URL(request.url)
    const name = url.searchParams.get('case') ?? 'app'
    const run = cases[name]
    if (!run) {
      return new Response(`no case ${name}`, { status: 404 })
    }
    small = !name.endsWith('Drain')
    useBench = /[bB]et/.test(name)
    const calls = Math.min(Number(url.searchParams.get('calls') ?? 1000), 100_000)
    // The harness asks with its path, Host and Accept-Language only; the bench page's visitor
    // is a desktop browser in English with a signed cookie.
    const visitor = new Request(new URL(useBench ? '/page/100k' : '/harness/100k', url), {
      headers: useBench
        ? {
            host: url.host,
            cookie: request.headers.get('x-cookie') ?? '',
            'accept-language': 'en-GB,en;q=0.9',
            'user-agent':
              'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
            accept: 'text/html',
          }
        : { host: url.host, 'accept-language': request.headers.get('accept-language') ?? 'en' },
    })
    for (let i = 0; i < calls; i++) {
      await run(visitor, env, ctx)
    }
    return new Response('ok')
  },
}
