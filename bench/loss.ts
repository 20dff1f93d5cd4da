// Measure what counting loses when an isolate dies with an unflushed batch: load, SIGKILL workerd, restart, read.
// Usage: node scripts/run-ts.mjs bench/loss.ts [--seconds S] [--connections N] [--runs N]
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { buildWorker } from './lib/bundle'
import { BENCH_RUNTIME, startWorkerd } from './lib/workerd'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    runs: { type: 'string', default: '3' },
  },
})

const start = (script: string, persist: string) =>
  startWorkerd('loss', {
    scriptPath: script,
    compatibilityDate: BENCH_RUNTIME.compatibilityDate,
    durableObjects: { TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true } },
    durableObjectsPersist: persist,
  })

const cache = resolve('node_modules/.cache')
await mkdir(cache, { recursive: true })
const dir = await mkdtemp(join(cache, 'tailor-loss-'))
try {
  const script = join(dir, 'loss.js')
  await buildWorker('bench/workers/loss.ts', script)
  for (let run = 1; run <= Number(values.runs); run++) {
    const persist = join(dir, `state-${run}`)
    const first = await start(script, persist)
    // Load for `seconds`, then kill the isolate mid-load (no graceful shutdown): whatever it had
    // buffered and not flushed is lost. Responses already received count as page views served.
    const seconds = Number(values.seconds)
    const result = await new Promise<autocannon.Result>((done, fail) => {
      const instance = autocannon(
        { url: first.url.href, connections: Number(values.connections), duration: seconds + 30 },
        (err, res) => (err ? fail(err) : done(res))
      )
      setTimeout(() => {
        process.kill(first.pid, 'SIGKILL')
        instance.stop()
      }, seconds * 1000)
    })
    const sent = result['2xx']
    await first.mf.dispose().catch(() => undefined)
    const second = await start(script, persist)
    const res = await fetch(new URL('/totals', second.url))
    const { views } = (await res.json()) as { views: number }
    await second.mf.dispose()
    const rate = sent / Number(values.seconds)
    console.log(
      `run ${run}: ${sent} page views (${rate.toFixed(0)}/s), ${views} counted, ` +
        `${sent - views} lost (${(((sent - views) / sent) * 100).toFixed(2)}%, ` +
        `${((sent - views) / rate).toFixed(2)} s of traffic)`
    )
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
