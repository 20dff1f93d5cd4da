// Two builds of the page worker side by side in one workerd process: the work tree's `src/` and a
// git revision's (default HEAD), with a bare pass-through as the floor. Each request's
// `x-tailor-ab` header picks its arm, so all three share the process, its threads and its luck,
// which two processes never do (bench/README.md, "Eighth look"). Windows alternate arm by arm,
// each round in another of the six orders; CPU per request from /proc. For finding what a change to the page
// path costs; `npm run bench` stays the verdict.
// Usage: node scripts/run-ts.mjs bench/ab.ts [--base REV] [--lang en|fr] [--rounds N]
//        [--duration S] [--processes N] [--secret] [--smoke]
import autocannon from 'autocannon'
import { execFileSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { BENCH_SECRET, EDIT_MARKER, HARNESS_EN, HARNESS_FR, harnessConfig } from './configs'
import { boundedNumber } from './lib/args'
import { buildAsDeployed } from './lib/bundle'
import { buildOrigin, startOrigin } from './lib/origin'
import { cpuMs } from './lib/proc'
import type { StartedWorkerd } from './lib/workerd'
import { BENCH_RUNTIME, forwardRuntimeOutput, startWorkerdDirect } from './lib/workerd'

/** The arms: the floor, the revision, the work tree. */
const ARMS = ['pass', 'base', 'work'] as const
type Arm = (typeof ARMS)[number]

/**
 * The order of each round, cycling through all six: in one isolate an arm's window inherits the
 * garbage of the window before it, so each arm must follow each other arm as often. With a fixed
 * order run forwards and backwards, `base` followed the cheap pass-through in half its windows
 * and `work` in none, and identical builds read `work` 0.02 ms dearer in four of five runs.
 */
const ORDERS: readonly (readonly Arm[])[] = [
  ['pass', 'base', 'work'],
  ['work', 'base', 'pass'],
  ['base', 'work', 'pass'],
  ['pass', 'work', 'base'],
  ['work', 'pass', 'base'],
  ['base', 'pass', 'work'],
]

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    lang: { type: 'string', default: 'en' },
    rounds: { type: 'string', default: '24' },
    duration: { type: 'string', default: '1' },
    processes: { type: 'string', default: '2' },
    secret: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
})

/** A whole number option within its bounds, or a clear error naming it. */
function bounded(name: string, value: string, min: number, max: number): number {
  return boundedNumber('bench/ab', `--${name}`, value, min, max, true)
}

const lang = values.lang === 'fr' ? 'fr' : 'en'
if (values.lang !== lang) {
  throw new Error(`bench/ab: --lang must be en or fr. Got ${values.lang}.`)
}
const rounds = values.smoke ? 2 : bounded('rounds', values.rounds, 2, 96)
// Whole seconds: autocannon runs whole seconds (asked for 0.5 s, it runs 1 s).
const durationS = values.smoke ? 1 : bounded('duration', values.duration, 1, 10)
const processes = values.smoke ? 1 : bounded('processes', values.processes, 1, 4)
const visitor = lang === 'fr' ? HARNESS_FR : HARNESS_EN

// The revision, named before anything is written.
let sha: string
try {
  sha = execFileSync('git', ['rev-parse', '--verify', '--quiet', `${values.base}^{commit}`], {
    encoding: 'utf8',
  }).trim()
} catch {
  throw new Error(`bench/ab: --base must name a commit of this repository. Got ${values.base}.`)
}
// Its src/, taken out of git (inside node_modules, so its imports resolve as ours do).
const dir = resolve('node_modules/.cache/tailor-ab')
await rm(dir, { recursive: true, force: true })
await mkdir(join(dir, 'base'), { recursive: true })
execFileSync('git', ['archive', '--format=tar', '-o', join(dir, 'base.tar'), sha, 'src'])
execFileSync('tar', ['-xf', join(dir, 'base.tar'), '-C', join(dir, 'base')])

// One worker with both builds, each with the outside harness's config (bench/README.md, issue 9).
await writeFile(join(dir, 'harness.config.json'), JSON.stringify(harnessConfig(10)))
await writeFile(
  join(dir, 'entry.ts'),
  `import config from './harness.config.json'
import { createPageApp as work } from '${resolve('src/app')}'
import { createPageApp as base } from './base/src/app'
const arms = { work: work({ config }), base: base({ config }) }
export default {
  fetch(request, env, ctx) {
    const arm = request.headers.get('x-tailor-ab')
    if (arm === 'pass') {
      const url = new URL(request.url)
      return fetch(env.ORIGIN + url.pathname + url.search, { headers: request.headers })
    }
    return (arm === 'base' ? arms.base : arms.work).fetch(request, env, ctx)
  },
}
`
)
const script = join(dir, 'entry.js')
await buildAsDeployed(join(dir, 'entry.ts'), script)
await buildOrigin(join(dir, 'origin.mjs'))

let origin: ChildProcess | undefined
const running: StartedWorkerd[] = []
try {
  const started = await startOrigin(join(dir, 'origin.mjs'))
  origin = started.child
  for (let k = 0; k < processes; k++) {
    running.push(
      await startWorkerdDirect(`bench/ab ${k}`, {
        scriptPath: script,
        ...BENCH_RUNTIME,
        cf: false,
        bindings: {
          ORIGIN: `http://127.0.0.1:${started.port}`,
          ...(values.secret ? { TAILOR_SECRET: BENCH_SECRET } : {}),
        },
        handleRuntimeStdio: forwardRuntimeOutput,
      })
    )
  }
  const url = (w: StartedWorkerd) => new URL('/harness/100k', w.url).href
  const headers = (arm: Arm) => ({ ...visitor, 'x-tailor-ab': arm })

  // Each arm answers, and the two builds make the edits this visitor should get.
  const bodies = new Map<Arm, string>()
  for (const arm of ARMS) {
    const res = await fetch(url(running[0] as StartedWorkerd), { headers: headers(arm) })
    const body = await res.text()
    if (res.status !== 200) {
      throw new Error(`bench/ab: the ${arm} arm answered ${res.status}`)
    }
    bodies.set(arm, body)
  }
  for (const arm of ['base', 'work'] as const) {
    const edited = (bodies.get(arm) ?? '').includes(EDIT_MARKER)
    if (edited !== (lang === 'fr')) {
      throw new Error(`bench/ab: the ${arm} build ${edited ? 'edited' : 'did not edit'} the page`)
    }
  }
  if (bodies.get('base') !== bodies.get('work')) {
    console.log('bench/ab: note: the two builds answer this visitor with different pages')
  }

  const load = async (w: StartedWorkerd, arm: Arm, seconds: number) => {
    const before = cpuMs(w.pid)
    const result = await autocannon({
      url: url(w),
      headers: headers(arm),
      connections: 16,
      duration: seconds,
      timeout: 20,
    })
    return {
      pages: result['2xx'],
      cpu: cpuMs(w.pid) - before,
      errors: result.errors + result.non2xx,
      seconds: result.duration,
    }
  }
  for (const w of running) {
    for (const arm of ARMS) {
      await load(w, arm, 1)
    }
  }

  type Sum = { pages: number; cpu: number; errors: number; seconds: number }
  const total = new Map<Arm, Sum>(
    ARMS.map((arm) => [arm, { pages: 0, cpu: 0, errors: 0, seconds: 0 }])
  )
  // CPU per page of work minus base, round by round (the same process, about a second apart).
  const differences: number[] = []
  for (let round = 0; round < rounds; round++) {
    // Rounds 1, 2 on the first process, 3, 4 on the next…, as `npm run bench -- --replicas N`.
    const w = running[Math.floor(round / 2) % processes] as StartedWorkerd
    const perPage = new Map<Arm, number>()
    for (const arm of ORDERS[round % ORDERS.length] as readonly Arm[]) {
      const sample = await load(w, arm, durationS)
      const sum = total.get(arm) as Sum
      sum.pages += sample.pages
      sum.seconds += sample.seconds
      sum.cpu += sample.cpu
      sum.errors += sample.errors
      perPage.set(arm, sample.cpu / Math.max(1, sample.pages))
    }
    differences.push((perPage.get('work') ?? 0) - (perPage.get('base') ?? 0))
  }

  const cpuOf = (arm: Arm) => {
    const sum = total.get(arm) as Sum
    return sum.cpu / Math.max(1, sum.pages)
  }
  const floor = cpuOf('pass')
  console.log(
    `bench/ab: ${lang}, ${values.secret ? 'secret' : 'no secret'}, ${rounds} rounds of ${durationS} s, ${processes} process(es); base ${sha.slice(0, 7)}`
  )
  for (const arm of ARMS) {
    const sum = total.get(arm) as Sum
    const rate = sum.pages / Math.max(0.001, sum.seconds)
    const above = arm === 'pass' ? '' : `, ${(cpuOf(arm) - floor).toFixed(3)} above pass`
    console.log(
      `  ${arm.padEnd(4)} ${rate.toFixed(0).padStart(5)} pages/s, CPU ${cpuOf(arm).toFixed(3)} ms/page${above}, ${sum.errors} errors`
    )
  }
  const sorted = [...differences].sort((a, b) => a - b)
  const median = sorted[sorted.length >> 1] ?? 0
  const lower = differences.filter((d) => d < 0).length
  console.log(
    `  work − base: ${(cpuOf('work') - cpuOf('base')).toFixed(3)} ms/page pooled, median of rounds ${median.toFixed(3)}; work lower in ${lower} of ${rounds} rounds`
  )
} finally {
  for (const w of running) {
    await w.mf.dispose()
  }
  origin?.kill()
}
