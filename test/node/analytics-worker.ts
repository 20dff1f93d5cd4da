// Test-only worker entry: the real app, with TAILOR_ANALYTICS wrapped so each point the real binding
// took is also kept, and GET /__test/points to read them. Never part of the deployed bundle.
import { createApp } from '../../src/app'

export { ExperimentStore } from '../../src/measure'

/** One experiment on the hero: page-view unit (no consent needed), a click goal. */
const config = {
  version: 1,
  locales: ['en'],
  slots: { hero: { selector: '#hero', variants: [] } },
  experiments: [
    {
      id: 'ae-real',
      label: 'Hero test',
      slot: 'hero',
      status: 'running',
      unit: 'pageview',
      arms: [
        { id: 'a', weight: 1, default: true },
        { id: 'b', weight: 1, rules: true },
      ],
      goals: [{ id: 'click', type: 'click', primary: true }],
    },
  ],
}

type Env = {
  ORIGIN: string
  TAILOR_SECRET: string
  TAILOR_ANALYTICS: AnalyticsEngineDataset
  TAILOR_EXPERIMENTS: DurableObjectNamespace
}

const app = createApp({ config })
const points: AnalyticsEngineDataPoint[] = []

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    if (new URL(request.url).pathname === '/__test/points') {
      return Response.json({ bound: typeof env.TAILOR_ANALYTICS?.writeDataPoint, points })
    }
    const analytics: AnalyticsEngineDataset = {
      writeDataPoint(point) {
        // The real binding first: a point it refuses throws here and is not kept.
        env.TAILOR_ANALYTICS.writeDataPoint(point)
        points.push(structuredClone(point ?? {}))
      },
    }
    return app.fetch(request, { ...env, TAILOR_ANALYTICS: analytics }, ctx)
  },
}
