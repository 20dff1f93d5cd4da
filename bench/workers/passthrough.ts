// Benchmark variant (a): a bare pass-through worker, the floor every other variant is compared with.

type Env = { ORIGIN: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    return fetch(env.ORIGIN + url.pathname + url.search, { headers: request.headers })
  },
}
