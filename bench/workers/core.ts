// Benchmark: the pure core alone (cookie verify + context + decide, then rendering the edits), in workerd.
import type { TailorBindings } from '../../src/env'
import { renderEdits } from '../../src/rewrite'
import { createRuntime, read, readInputFor } from '../../src/personalise'

type Env = TailorBindings & { BENCH_CONFIG: unknown }

// Created (and the config compiled) once per isolate, as the real worker does.
let runtime: ReturnType<typeof createRuntime> | undefined

/**
 * GET /core?calls=N&batches=B&render=1: B batches of N calls of the read step (live config, keys,
 * `read()`) on this very
 * request (its cookie, headers and cf), plus `renderEdits()` when render=1. Each batch is timed
 * as a whole (workerd's clock moves in whole milliseconds) and reported per call, in µs.
 */
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    runtime ??= createRuntime({ config: env.BENCH_CONFIG })
    const url = new URL(request.url)
    const calls = Math.min(Number(url.searchParams.get('calls') ?? 1000), 100_000)
    const batches = Math.min(Number(url.searchParams.get('batches') ?? 10), 1000)
    const render = url.searchParams.get('render') === '1'
    const perCallUs: number[] = []
    let edits = 0
    let slots = 0
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now()
      for (let i = 0; i < calls; i++) {
        const now = Date.now()
        const site = await runtime.liveSite(request, env, now)
        const state = await read(await readInputFor(runtime, request, env, site, now))
        if (state) {
          slots = state.decisions.length
          edits = state.decisions.filter((d) => d.variant).length
          if (render) {
            edits = renderEdits(state.decisions, state.facts, state.compiled).length
          }
        }
      }
      perCallUs.push(((performance.now() - t0) * 1000) / Math.max(calls, 1))
    }
    return Response.json({ perCallUs, edits, slots })
  },
}
