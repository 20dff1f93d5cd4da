// Test-only worker entry: the real worker plus POST /__test/seed, which writes counts into the stores.
// It is never part of the deployed bundle (wrangler.toml's main is src/worker.ts); the browser test
// runs it with `wrangler dev test/node/report-seed-worker.ts` to read a report with known counts.
import config from '../../tailor.config.json'
import { createApp } from '../../src/app'
import type { Batch, WeightsRow } from '../../src/measure'
import { ExperimentStore as Store } from '../../src/measure'

/** The real store, plus a way to lay down a weights history (the alarm would take days). */
export class ExperimentStore extends Store {
  seedWeights(rows: WeightsRow[]): void {
    const sql = this.ctx.storage.sql
    for (const r of rows) {
      sql.exec(
        'INSERT OR REPLACE INTO weights VALUES (?, ?, ?, ?, ?)',
        r.minute,
        r.phase,
        r.cell,
        r.mode,
        JSON.stringify(r.weights)
      )
    }
  }
}

type Seed = { batches: Batch[]; weights?: Record<string, WeightsRow[]> }
type Env = { TAILOR_EXPERIMENTS: DurableObjectNamespace<ExperimentStore> }

const app = createApp({ config })

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname === '/__test/seed' && request.method === 'POST') {
      const seed = (await request.json()) as Seed
      const ns = env.TAILOR_EXPERIMENTS
      for (const batch of seed.batches) {
        await ns.get(ns.idFromName(batch.experiment)).apply(batch)
      }
      for (const [id, rows] of Object.entries(seed.weights ?? {})) {
        await ns.get(ns.idFromName(id)).seedWeights(rows)
      }
      return new Response('seeded')
    }
    return app.fetch(request, env, ctx)
  },
}
