// A/B for issue 11: the 10-slot page (100 KB) with and without 2 running experiments, alternated in
// rounds, CPU per request from /proc, and the store requests per page view under steady load.
// Usage: node scripts/run-ts.mjs bench/experiments.ts [--rounds N] [--seconds S]
import autocannon from 'autocannon'
import { createServer } from 'node:http'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_SECRET, benchConfig, benchCookie, betConfig, DESKTOP_EN } from './configs'
import { buildWorker } from './lib/bundle'
import { cpuMs } from './lib/proc'
import { BENCH_RUNTIME, startWorkerdDirect } from './lib/workerd'
import { generatePage } from './page'

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '4' } },
})
const rounds = Number(values.rounds)
const seconds = Number(values.seconds)

const page = generatePage(100_000)
const origin = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end(page)
})
await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
const address = origin.address()
const originUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

const script = resolve('node_modules/.cache/tailor-bench-experiments.js')
await buildWorker('bench/workers/tailor.ts', script)

function start(config: unknown) {
  return startWorkerdDirect('experiments', {
    scriptPath: script,
    ...BENCH_RUNTIME,
    cf: false,
    bindings: { ORIGIN: originUrl, TAILOR_SECRET: BENCH_SECRET, BENCH_CONFIG: config },
    durableObjects: { TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true } },
  })
}

const headers = { ...DESKTOP_EN, cookie: await benchCookie() }
const without = await start(benchConfig(10))
const withBet = await start(betConfig())
const flushes = async (url: URL) => {
  const res = await fetch(new URL('/_tailor/health', url))
  return ((await res.json()) as { experiments?: { flushes: number } }).experiments?.flushes ?? 0
}
const load = (url: URL, duration: number) =>
  autocannon({ url: new URL('/page', url).href, headers, connections: 16, duration })

try {
  await load(without.url, 2)
  await load(withBet.url, 2)
  const total = { without: { cpu: 0, n: 0 }, with: { cpu: 0, n: 0, store: 0 } }
  for (let round = 1; round <= rounds; round++) {
    for (const [name, r] of [
      ['without', without],
      ['with', withBet],
    ] as const) {
      const f0 = await flushes(r.url)
      const c0 = cpuMs(r.pid)
      const res = await load(r.url, seconds)
      const cpu = cpuMs(r.pid) - c0
      // The last batch lands within a second of the last page view.
      await new Promise((done) => setTimeout(done, 1200))
      const store = (await flushes(r.url)) - f0
      total[name].cpu += cpu
      total[name].n += res['2xx']
      if (name === 'with') {
        total.with.store += store
      }
      console.log(
        `round ${round} ${name}: ${res['2xx']} pages, ${(cpu / res['2xx']).toFixed(3)} ms CPU/page${name === 'with' ? `, ${store} store requests` : ''}`
      )
    }
  }
  const a = total.without.cpu / total.without.n
  const b = total.with.cpu / total.with.n
  console.log(
    `without ${a.toFixed(3)} ms, with 2 experiments ${b.toFixed(3)} ms: ${(b / a).toFixed(3)}×; ` +
      `store requests 1 per ${(total.with.n / total.with.store).toFixed(0)} page views (${total.with.store} for ${total.with.n})`
  )
} finally {
  await without.mf.dispose()
  await withBet.mf.dispose()
  origin.close()
}
