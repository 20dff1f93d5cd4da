// Tailor's cost per page, whole and piece by piece, in loops inside one workerd isolate with the
// origin stubbed (no network, no load generator; cases in bench/workers/micro.ts), alternated
// over rounds. CPU per call from the process's schedstat, which other processes' load does not
// inflate as much as the wall clock; --profile runs V8's sampling profiler on each case instead.
// Usage: node scripts/run-ts.mjs bench/micro.ts [--rounds N] [--calls N] [--lang en|fr]
//        [--secret] [--profile] [--top N] [CASE…]   (e.g. pass app, or noBet bet)
import { Miniflare } from 'miniflare'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadKeyring, writeVisitor } from '../src/visitor'
import { BENCH_PREFS, BENCH_SECRET } from './configs'
import { buildWorker } from './lib/bundle'
import { childPids } from './lib/proc'
import { connectProfiler, printProfile } from './lib/profiler'
import { generatePage, HARNESS_PAGE } from './page'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '500' },
    lang: { type: 'string', default: 'en' },
    secret: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    top: { type: 'string', default: '45' },
  },
})
const names = positionals.length ? positionals : ['pass', 'page']

const script = join(resolve('node_modules/.cache'), 'tailor-micro.js')
await buildWorker('bench/workers/micro.ts', script)
const before = new Set(childPids('workerd'))
const mf = new Miniflare({
  modules: true,
  scriptPath: script,
  compatibilityDate: '2026-04-01',
  compatibilityFlags: ['nodejs_compat'],
  cf: false,
  ...(values.profile ? { inspectorPort: 9300 + Math.floor(Math.random() * 500) } : {}),
  bindings: {
    ORIGIN: 'http://origin.test',
    PAGE: generatePage(HARNESS_PAGE.bytes, HARNESS_PAGE),
    BENCH_PAGE: generatePage(100_000),
    ...(values.secret ? { TAILOR_SECRET: BENCH_SECRET } : {}),
  },
  durableObjects: { TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true } },
})
await mf.ready
const pid = childPids('workerd').find((p) => !before.has(p)) ?? 0
/** The workerd process's CPU time so far, all threads, in ns (schedstat: not the clock's ticks). */
const cpuNs = () =>
  readdirSync(`/proc/${pid}/task`).reduce(
    (sum, task) =>
      sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]),
    0
  )
const keys = await loadKeyring(BENCH_SECRET)
if (!keys.ok) {
  throw new Error(keys.message)
}
const setCookie = await writeVisitor(
  { prefs: BENCH_PREFS, created: Math.floor(Date.now() / 1000) - 86_400 },
  { name: '__Host-tailor', keyring: keys.keyring, now: Date.now(), maxAgeDays: 30 }
)
const cookie = setCookie.slice(0, setCookie.indexOf(';'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
try {
  const results = new Map<string, number[]>(names.map((n) => [n, []]))
  const ask = async (name: string, calls: number) => {
    const c0 = cpuNs()
    const res = await mf.dispatchFetch(`http://tailor.test/micro?case=${name}&calls=${calls}`, {
      headers: { 'accept-language': values.lang ?? 'en', 'x-cookie': cookie },
    })
    if (!res.ok) {
      throw new Error(`${name}: ${res.status} ${await res.text()}`)
    }
    await res.arrayBuffer()
    return (cpuNs() - c0) / 1000 / calls
  }
  for (const name of names) {
    await ask(name, 200)
  }
  if (values.profile) {
    // One case at a time under V8's sampling profiler: where its JavaScript time goes.
    const profiler = await connectProfiler(mf)
    for (const name of names) {
      await profiler.start(50)
      await ask(name, Number(values.calls) * Number(values.rounds))
      const profile = await profiler.stop()
      console.log(`\n== ${name}`)
      printProfile(profile, Number(values.calls) * Number(values.rounds), Number(values.top))
    }
    profiler.close()
  }
  for (let r = 0; r < (values.profile ? 0 : Number(values.rounds)); r++) {
    for (const name of names) {
      results.get(name)?.push(await ask(name, Number(values.calls)))
    }
  }
  for (const [name, us] of results) {
    const min = Math.min(...us).toFixed(1)
    const rounds = us.map((u) => u.toFixed(0)).join(' ')
    console.log(
      `${name.padEnd(18)} CPU µs per call: min ${min}, median ${median(us).toFixed(1)} (${rounds})`
    )
  }
} finally {
  await mf.dispose()
}
