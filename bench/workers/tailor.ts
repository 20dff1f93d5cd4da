// Benchmark variant (d, e): the real Tailor app (createApp from src) with a generated config.
import { createApp } from '../../src/app'
import type { TailorBindings } from '../../src/env'

// The experiments' store, for the variant that runs experiments (bound as TAILOR_EXPERIMENTS).
export { ExperimentStore } from '../../src/measure'

type Env = TailorBindings & { BENCH_CONFIG: unknown }

// Built (and its config compiled) once per isolate, on the first request: the config arrives as
// a binding so one bundle serves the 1-, 10- and 50-slot workers.
let app: ReturnType<typeof createApp> | undefined

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    app ??= createApp({ config: env.BENCH_CONFIG })
    return app.fetch(request, env, ctx)
  },
}
