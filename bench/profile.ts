// V8's sampling profiler on one worker under load: where its own CPU goes, by function.
// Usage: node scripts/run-ts.mjs bench/profile.ts [--worker production|tailor|rewriter|passthrough]
//        [--lang en|fr] [--secret] [--bet] [--seconds S] [--top N] [--interval US]
// The worker runs in its own workerd (Miniflare, direct socket, inspector on), the harness page
// (issue 9) or the 100 KB bench page (--bet, --worker tailor) comes from a Node origin in this
// process, and autocannon drives it at 16 connections. Prints self and total time per function.
import autocannon from 'autocannon'
import { createServer } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  BENCH_SECRET,
  benchConfig,
  benchCookie,
  betConfig,
  DESKTOP_EN,
  harnessConfig,
} from './configs'
import { cpuMs } from './lib/proc'
import { buildPageWorker, buildWorker } from './lib/bundle'
import { BENCH_RUNTIME, startWorkerdDirect } from './lib/workerd'
import { connectProfiler, printProfile } from './lib/profiler'
import { generatePage, HARNESS_PAGE } from './page'

const { values } = parseArgs({
  options: {
    worker: { type: 'string', default: 'production' },
    lang: { type: 'string', default: 'en' },
    secret: { type: 'boolean', default: false },
    bet: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '8' },
    top: { type: 'string', default: '40' },
    interval: { type: 'string', default: '100' },
    out: { type: 'string' },
    minify: { type: 'boolean', default: false },
  },
})

const harness = values.worker !== 'tailor'
const page = harness ? generatePage(HARNESS_PAGE.bytes, HARNESS_PAGE) : generatePage(100_000)
const origin = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(page)),
    'cache-control': 'no-cache',
  })
  res.end(page)
})
await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
const address = origin.address()
const originUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

const dir = resolve('node_modules/.cache/tailor-profile')
await mkdir(dir, { recursive: true })
const script = join(dir, `${values.worker}.js`)
if (values.worker === 'production') {
  // Readable names by default; --minify as `wrangler deploy` builds it.
  await buildPageWorker(script, harnessConfig(10), values.minify)
} else {
  await buildWorker(`bench/workers/${values.worker}.ts`, script)
}

const { mf, url, pid } = await startWorkerdDirect('profile', {
  scriptPath: script,
  ...BENCH_RUNTIME,
  cf: false,
  inspectorPort: 9300 + Math.floor(Math.random() * 500),
  bindings: {
    ORIGIN: originUrl,
    HANDLERS: 10,
    ...(harness ? { SELECTORS: 'harness' } : {}),
    ...(values.secret || !harness ? { TAILOR_SECRET: BENCH_SECRET } : {}),
    BENCH_CONFIG: values.bet ? betConfig() : benchConfig(10),
  },
  ...(values.bet
    ? { durableObjects: { TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true } } }
    : {}),
})

let headers: Record<string, string> = { 'accept-language': values.lang ?? 'en' }
if (!harness) {
  headers = { ...DESKTOP_EN, cookie: await benchCookie() }
}
const target = new URL(harness ? '/harness/100k' : '/page/100k', url).href

const profiler = await connectProfiler(mf)

try {
  const seconds = Number(values.seconds)
  await autocannon({ url: target, headers, connections: 16, duration: 2 })
  await profiler.start(Number(values.interval))
  const c0 = cpuMs(pid)
  const res = await autocannon({ url: target, headers, connections: 16, duration: seconds })
  const cpu = cpuMs(pid) - c0
  const profile = await profiler.stop()
  if (values.out) {
    await writeFile(values.out, JSON.stringify(profile))
  }
  const n = res['2xx']
  console.log(
    `${n} pages, ${(n / seconds).toFixed(0)}/s, CPU ${(cpu / n).toFixed(3)} ms/req (profiled)`
  )

  printProfile(profile, n, Number(values.top))
} finally {
  profiler.close()
  await mf.dispose()
  origin.close()
}
