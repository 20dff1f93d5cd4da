// Counting-loss worker: each request adds one `views` increment through the real batcher; /totals reads the store.
import { batcher, ExperimentStore } from '../../src/measure'

export { ExperimentStore }

type Env = { TAILOR_EXPERIMENTS: DurableObjectNamespace<ExperimentStore> }

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const store = env.TAILOR_EXPERIMENTS
    if (new URL(request.url).pathname === '/totals') {
      const totals = await store.get(store.idFromName('loss')).totals()
      return Response.json({ views: totals.find((t) => t.metric === 'views')?.count ?? 0 })
    }
    batcher.add([{ experiment: 'loss', phase: 1, arm: 0, metric: 'views' }], {
      store,
      waitUntil: (p) => ctx.waitUntil(p),
    })
    return new Response('ok')
  },
}
