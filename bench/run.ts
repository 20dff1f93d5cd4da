// The benchmark: build the variant workers, serve each in its own workerd, load them side by side.
import autocannon from 'autocannon'
import type { Miniflare } from 'miniflare'
import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  BENCH_SECRET,
  benchCookie,
  benchConfig,
  betConfig,
  DESKTOP_EN,
  DESKTOP_FR,
  EDIT_MARKER,
  FRENCH_TEXT,
  HARNESS_EN,
  HARNESS_FR,
  harnessConfig,
} from './configs'
import { cpuMs, sampleRss } from './lib/proc'
import { buildPageWorker, buildWorker } from './lib/bundle'
import { buildOrigin, startOrigin } from './lib/origin'
import { BENCH_RUNTIME, forwardRuntimeOutput, startWorkerdDirect } from './lib/workerd'
import type { PageSize } from './page'
import { generatePage, HARNESS_PAGE, PAGE_SIZES } from './page'
import type { BetResult, CaseResult, CoreResult, RoundSample } from './report'

export type BenchOptions = {
  /** Seconds of load per case per round. */
  durationS: number
  /** Rounds: every case runs once per round, every other round backwards (A B C … C B A …). */
  rounds: number
  /** Concurrent connections of the load generator. */
  connections: number
  /**
   * workerd processes per variant (default 1). With more, round r loads process r mod N: one
   * process's luck (where the scheduler put it, how V8 compiled its code) weighs 1/N, not all.
   */
  replicas?: number
  /** Seconds of unrecorded load per case before the first round. */
  warmupS: number
  /** Only one pair (pass-through and Tailor with 10 slots, 15 KB), for the smoke test. */
  smoke: boolean
  /**
   * Which cases: "all" (the default), "production" (only the outside harness's set-up of
   * issue 9: the deploy bundle, with and without a secret, beside a pass-through and a bare
   * rewriter), or "experiments" (only issue 11's pair: the 10-slot page with and without 2
   * running experiments, and the store requests under steady load).
   */
  set: BenchSet
  /** Seconds of steady load on the experiments variant while its store requests are counted. */
  storeS?: number
  /** Core micro-benchmark: calls per timed batch, and batches. */
  coreCalls: number
  coreBatches: number
  /** Start no new round once this many seconds have passed since the start (the run stays bounded). */
  budgetS: number
  /** Print progress lines. */
  log: (line: string) => void
}

/** The case sets `--set` chooses from. */
export const BENCH_SETS = ['all', 'production', 'experiments'] as const
export type BenchSet = (typeof BENCH_SETS)[number]

// production: src/worker.ts bundled as `wrangler deploy` bundles it (see `bundle`).
type WorkerKind = 'passthrough' | 'rewriter' | 'dom' | 'tailor' | 'core' | 'production'

type InstanceSpec = {
  id: string
  worker: WorkerKind
  bindings: Record<string, unknown>
  /** No TAILOR_SECRET binding at all (the top-level environment before `wrangler secret put`). */
  keyless?: boolean
  /** Bind the experiments' store (a SQLite Durable Object, in memory). */
  store?: boolean
}

type Visitor = 'cookie' | 'french' | 'same' | 'harness-en' | 'harness-fr'

/** One row of the table: a worker instance, a page, a visitor. */
export type CaseSpec = {
  id: string
  label: string
  instance: string
  path: string
  /** Page column: "15k", "100k", "1m" or "slow 100k". */
  page: string
  visitor: Visitor
  /** Ids of the cases this one is compared with. */
  pass?: string
  rewriter?: string
  check: (res: Response, body: string) => string | undefined
}

const count = (text: string, marker: string) => text.split(marker).length - 1

/** The instances and cases of a run (smoke: just the pass-through and Tailor pair, 15 KB). */
export function plan(
  smoke: boolean,
  set: BenchSet = 'all'
): {
  instances: InstanceSpec[]
  cases: CaseSpec[]
  /** The order of the cases in a round, when it is not the table's. */
  order?: CaseSpec[]
} {
  const instances: InstanceSpec[] = []
  const cases: CaseSpec[] = []
  const pages = Object.fromEntries(
    Object.entries(PAGE_SIZES).map(([name, bytes]) => [name, generatePage(bytes)])
  ) as Record<PageSize, string>
  const instance = (
    id: string,
    worker: WorkerKind,
    bindings: Record<string, unknown> = {},
    keyless = false,
    store = false
  ) => {
    if (!instances.some((i) => i.id === id)) {
      instances.push({ id, worker, bindings, keyless, store })
    }
    return id
  }
  const same = (page: PageSize) => (_res: Response, body: string) =>
    body === pages[page] ? undefined : `body differs from the origin's (${body.length} bytes)`
  const edits =
    (n: number, marker = EDIT_MARKER) =>
    (_res: Response, body: string) =>
      count(body, marker) === n ? undefined : `${count(body, marker)} of ${n} slots rewritten`
  const privately = (inner: CaseSpec['check']) => (res: Response, body: string) =>
    res.headers.get('cache-control') !== 'private, no-store'
      ? `cache-control ${res.headers.get('cache-control')}`
      : inner(res, body)

  if (set === 'experiments') {
    experimentCases(instance, cases, pages['100k'])
    return { instances, cases }
  }
  if (!smoke) {
    productionCases(instance, cases)
  }
  if (set === 'production') {
    // Each row's window next to its base's in every round (the machine's slow phases last tens of
    // seconds, so windows far apart in a round meet different speeds); the table keeps its order.
    const order = [
      'production no secret en',
      'pass harness',
      'production secret en',
      'production no secret fr',
      'rewriter-10 harness',
      'production secret fr',
    ].map((id) => cases.find((c) => c.id === id) as CaseSpec)
    return { instances, cases, order }
  }

  const sizes: PageSize[] = smoke ? ['15k'] : ['15k', '100k', '1m']
  for (const size of sizes) {
    const path = `/page/${size}`
    const pass = `pass ${size}`
    cases.push({
      id: pass,
      label: 'pass-through',
      instance: instance(`pass@${size}`, 'passthrough'),
      path,
      page: size,
      visitor: 'cookie',
      check: same(size),
    })
    const handlers = size === '100k' ? [1, 10, 50] : [10]
    if (!smoke) {
      for (const n of handlers) {
        cases.push({
          id: `rewriter-${n} ${size}`,
          label: `bare HTMLRewriter, ${n} handler${n > 1 ? 's' : ''}`,
          instance: instance(`rewriter-${n}@${size}`, 'rewriter', { HANDLERS: n }),
          path,
          page: size,
          visitor: 'cookie',
          pass,
          check: edits(n),
        })
      }
      cases.push({
        id: `dom-10 ${size}`,
        label: 'DOM peer (linkedom), 10 slots',
        instance: instance(`dom-10@${size}`, 'dom', { HANDLERS: 10 }),
        path,
        page: size,
        visitor: 'cookie',
        pass,
        rewriter: `rewriter-10 ${size}`,
        check: edits(10),
      })
    }
    for (const n of smoke ? [10] : handlers) {
      const tailor = instance(`tailor-${n}@${size}`, 'tailor', { BENCH_CONFIG: benchConfig(n) })
      const rewriter = smoke ? undefined : `rewriter-${n} ${size}`
      const visitors: [Visitor, string, CaseSpec['check']][] = [
        ['cookie', `Tailor, ${n} slot${n > 1 ? 's' : ''}, cookie`, privately(edits(n))],
      ]
      if (size === '100k') {
        visitors.push([
          'french',
          `Tailor, ${n} slot${n > 1 ? 's' : ''}, no cookie (fr)`,
          privately(edits(n, FRENCH_TEXT)),
        ])
      }
      if (size === '100k' && n === 10) {
        visitors.push(['same', 'Tailor, 10 slots, nothing changes', privately(same(size))])
      }
      if (n === 10 && (smoke || size === '100k')) {
        // The same page with 2 running experiments (slot 0 draws the named variant or the
        // origin's block): 9 or 10 blocks rewritten.
        const nine = edits(9)
        cases.push({
          id: `tailor-10 bet cookie ${size}`,
          label: 'Tailor, 10 slots, cookie, 2 experiments',
          instance: instance(
            `tailor-bet@${size}`,
            'tailor',
            { BENCH_CONFIG: betConfig() },
            false,
            true
          ),
          path,
          page: size,
          visitor: 'cookie',
          pass,
          rewriter,
          check: privately((res, body) => (edits(10)(res, body) && nine(res, body)) || undefined),
        })
      }
      for (const [visitor, label, check] of visitors) {
        cases.push({
          id: `tailor-${n} ${visitor} ${size}`,
          label,
          instance: tailor,
          path,
          page: size,
          visitor,
          pass,
          rewriter,
          check,
        })
      }
    }
  }
  if (!smoke) {
    // A slow origin (50 ms a page, which it lets shared caches keep for 60 s): the cache's effect.
    const pass = 'pass slow'
    cases.push(
      {
        id: pass,
        label: 'pass-through',
        instance: 'pass@100k',
        path: '/slow/100k',
        page: 'slow 100k',
        visitor: 'cookie',
        check: same('100k'),
      },
      {
        id: 'tailor-10 nocache slow',
        label: 'Tailor, 10 slots, cookie, cache off',
        instance: instance('tailor-10-nocache', 'tailor', {
          BENCH_CONFIG: benchConfig(10, { enabled: false }),
        }),
        path: '/slow/100k',
        page: 'slow 100k',
        visitor: 'cookie',
        pass,
        check: privately(edits(10)),
      },
      {
        id: 'tailor-10 cache slow',
        label: 'Tailor, 10 slots, cookie, cache on',
        instance: instance('tailor-10-cache', 'tailor', { BENCH_CONFIG: benchConfig(10) }),
        path: '/slow/100k',
        page: 'slow 100k',
        visitor: 'cookie',
        pass,
        check: privately(edits(10)),
      }
    )
  }
  instance('core-50', 'core', { BENCH_CONFIG: benchConfig(50) })
  return { instances, cases }
}

/**
 * Issue 11's pair alone: the 10-slot page (100 KB) for a visitor with a cookie, without and with
 * 2 running experiments (the same cases as in "all"), beside a pass-through.
 */
function experimentCases(
  instance: (
    id: string,
    worker: WorkerKind,
    b?: Record<string, unknown>,
    k?: boolean,
    store?: boolean
  ) => string,
  cases: CaseSpec[],
  page: string
): void {
  const path = '/page/100k'
  const pass = 'pass 100k'
  const count = (text: string) => text.split(EDIT_MARKER).length - 1
  const privately = (n: number[]) => (res: Response, body: string) =>
    res.headers.get('cache-control') !== 'private, no-store'
      ? `cache-control ${res.headers.get('cache-control')}`
      : n.includes(count(body))
        ? undefined
        : `${count(body)} of ${n.join(' or ')} slots rewritten`
  const common = { path, page: '100k', visitor: 'cookie' as const }
  cases.push(
    {
      ...common,
      id: pass,
      label: 'pass-through',
      instance: instance('pass@100k', 'passthrough'),
      check: (_res, body) => (body === page ? undefined : 'body differs from the origin’s'),
    },
    {
      ...common,
      id: 'tailor-10 cookie 100k',
      label: 'Tailor, 10 slots, cookie',
      instance: instance('tailor-10@100k', 'tailor', { BENCH_CONFIG: benchConfig(10) }),
      pass,
      check: privately([10]),
    },
    {
      ...common,
      id: 'tailor-10 bet cookie 100k',
      label: 'Tailor, 10 slots, cookie, 2 experiments',
      instance: instance('tailor-bet@100k', 'tailor', { BENCH_CONFIG: betConfig() }, false, true),
      pass,
      check: privately([9, 10]),
    }
  )
}

/**
 * Issue 9's outside harness, reproduced: the deploy bundle of src/worker.ts with the harness's
 * config (10 `[data-slot]` slots, one `html` variant for French readers), from the top-level
 * environment (no TAILOR_MODE), once without TAILOR_SECRET and once with it, on the 100 KB page
 * with 60 `data-slot` blocks, for a visitor sending only `Accept-Language: en` (nothing changes)
 * or `fr` (10 slots change), beside a pass-through and a bare 10-handler rewriter of that page.
 */
function productionCases(
  instance: (id: string, worker: WorkerKind, b?: Record<string, unknown>, k?: boolean) => string,
  cases: CaseSpec[]
): void {
  const page = generatePage(HARNESS_PAGE.bytes, HARNESS_PAGE)
  const path = '/harness/100k'
  const pass = 'pass harness'
  const rewriter = 'rewriter-10 harness'
  const same = (_res: Response, body: string) =>
    body === page ? undefined : `body differs from the origin's (${body.length} bytes)`
  const edits = (_res: Response, body: string) => {
    const n = count(body, EDIT_MARKER)
    return n === 10 ? undefined : `${n} of 10 slots rewritten`
  }
  const privately = (inner: CaseSpec['check']) => (res: Response, body: string) =>
    res.headers.get('cache-control') !== 'private, no-store'
      ? `cache-control ${res.headers.get('cache-control')}`
      : inner(res, body)
  const common = { path, page: 'harness 100k' }
  cases.push(
    {
      ...common,
      id: pass,
      label: 'pass-through',
      instance: instance('pass@harness', 'passthrough'),
      visitor: 'harness-en',
      check: same,
    },
    {
      ...common,
      id: rewriter,
      label: 'bare HTMLRewriter, 10 handlers',
      instance: instance('rewriter-10@harness', 'rewriter', { HANDLERS: 10, SELECTORS: 'harness' }),
      visitor: 'harness-fr',
      pass,
      check: edits,
    }
  )
  for (const keyless of [true, false]) {
    const mode = keyless ? 'no secret' : 'secret'
    const id = instance(`production-${keyless ? 'keyless' : 'keyed'}`, 'production', {}, keyless)
    cases.push(
      {
        ...common,
        id: `production ${mode} en`,
        label: `Tailor deploy bundle, ${mode}, en: nothing changes`,
        instance: id,
        visitor: 'harness-en',
        pass,
        check: privately(same),
      },
      {
        ...common,
        id: `production ${mode} fr`,
        label: `Tailor deploy bundle, ${mode}, fr: 10 slots change`,
        instance: id,
        visitor: 'harness-fr',
        pass,
        rewriter,
        check: privately(edits),
      }
    )
  }
}

/** Bundle the variant workers and the origin server into `dir`. */
async function bundle(dir: string): Promise<Record<WorkerKind | 'origin', string>> {
  const kinds: WorkerKind[] = ['passthrough', 'rewriter', 'dom', 'tailor', 'core']
  const out = {} as Record<WorkerKind | 'origin', string>
  await Promise.all(
    kinds.map(async (kind) => {
      out[kind] = join(dir, `${kind}.js`)
      await buildWorker(`bench/workers/${kind}.ts`, out[kind])
    })
  )
  // The deployable worker as `wrangler deploy` bundles it, its bundled config swapped for the
  // harness's.
  out.production = join(dir, 'production.js')
  await buildPageWorker(out.production, harnessConfig(10))
  out.origin = join(dir, 'origin.mjs')
  await buildOrigin(out.origin)
  return out
}

type Running = { spec: InstanceSpec; mf: Miniflare; url: URL; pid: number }

/** Serve one bundle with Miniflare in its own workerd process, and find that process's pid. */
async function startInstance(spec: InstanceSpec, script: string, origin: string): Promise<Running> {
  const started = await startWorkerdDirect(`bench: ${spec.id}`, {
    scriptPath: script,
    ...BENCH_RUNTIME,
    cf: false,
    bindings: {
      ORIGIN: origin,
      ...(spec.keyless ? {} : { TAILOR_SECRET: BENCH_SECRET }),
      ...spec.bindings,
    },
    ...(spec.store
      ? {
          durableObjects: {
            TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true },
          },
        }
      : {}),
    handleRuntimeStdio: forwardRuntimeOutput,
  })
  return { spec, ...started }
}

/** One bounded load run: `connections` connections for `durationS` seconds, 20 s per request at most. */
async function loadRun(
  url: string,
  headers: Record<string, string>,
  connections: number,
  durationS: number,
  pid: number
): Promise<RoundSample> {
  const rss = sampleRss(pid)
  const cpuBefore = cpuMs(pid)
  const result = await autocannon({
    url,
    headers,
    connections,
    duration: durationS,
    timeout: 20,
    pipelining: 1,
  })
  const cpu = cpuMs(pid) - cpuBefore
  const peak = rss.stop()
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx']
  return {
    completed,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMs: cpu,
    rssPeak: peak,
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Run the whole benchmark and return per-case results. Every process it starts (the origin and
 * one workerd per instance) is stopped before it returns or throws.
 */
export async function runBench(options: BenchOptions): Promise<{
  rounds: number
  cases: CaseResult[]
  core: CoreResult | undefined
  bet: BetResult | undefined
}> {
  const began = Date.now()
  const { instances, cases, order = cases } = plan(options.smoke, options.set)
  const cache = resolve('node_modules/.cache')
  await mkdir(cache, { recursive: true })
  const dir = await mkdtemp(join(cache, 'tailor-bench-'))
  const running: Running[] = []
  let origin: ChildProcess | undefined
  try {
    const scripts = await bundle(dir)
    const started = await startOrigin(scripts.origin)
    origin = started.child
    const originUrl = `http://127.0.0.1:${started.port}`
    options.log(
      `origin on ${originUrl}; starting ${instances.length * Math.max(1, Math.floor(options.replicas ?? 1))} workerd processes`
    )
    const replicas = Math.max(1, Math.floor(options.replicas ?? 1))
    for (let k = 0; k < replicas; k++) {
      for (const spec of instances) {
        running.push(await startInstance(spec, scripts[spec.worker], originUrl))
      }
    }
    // One entry per instance (its first process), and every process of it in `replicasOf`.
    const byId = new Map<string, Running>()
    const replicasOf = new Map<string, Running[]>()
    for (const r of running) {
      if (!byId.has(r.spec.id)) {
        byId.set(r.spec.id, r)
      }
      replicasOf.set(r.spec.id, [...(replicasOf.get(r.spec.id) ?? []), r])
    }
    const cookie = await benchCookie()
    const visitorHeaders: Record<Visitor, Record<string, string>> = {
      cookie: { ...DESKTOP_EN, cookie },
      french: DESKTOP_FR,
      same: DESKTOP_EN,
      'harness-en': HARNESS_EN,
      'harness-fr': HARNESS_FR,
    }
    // The case's process in round `round` (0: the first; checks, warm-up and steady runs).
    const target = (c: CaseSpec, round = 0) => {
      const all = replicasOf.get(c.instance)
      const r = all?.[round % all.length]
      if (!r) {
        throw new Error(`bench: no instance ${c.instance}`)
      }
      return { url: new URL(c.path, r.url).href, pid: r.pid }
    }

    // Check each case does what it claims before timing it, twice: the second page meets what
    // the first left in the isolate (a shared rewriter, a remembered answer).
    const problems = new Map<string, string>()
    for (let k = 0; k < replicas; k++) {
      for (const c of cases) {
        for (const time of ['first', 'second']) {
          const res = await fetch(target(c, k).url, { headers: visitorHeaders[c.visitor] })
          const body = await res.text()
          const problem = res.status !== 200 ? `status ${res.status}` : c.check(res, body)
          if (problem && !problems.has(c.id)) {
            problems.set(c.id, `${problem} (${time} page)`)
            options.log(`check failed: ${c.id}: ${problem} (${time} page)`)
          }
        }
      }
    }

    options.log(
      `warming up ${cases.length} cases (${((Date.now() - began) / 1000).toFixed(0)} s in)`
    )
    for (let k = 0; k < replicas; k++) {
      for (const c of cases) {
        const t = target(c, k)
        await loadRun(t.url, visitorHeaders[c.visitor], options.connections, options.warmupS, t.pid)
      }
    }
    // The cache case must be answered from the cache by now.
    const roundsBegan = Date.now()
    const cached = cases.find((c) => c.id === 'tailor-10 cache slow')
    if (cached) {
      const res = await fetch(target(cached).url, { headers: visitorHeaders.cookie })
      await res.arrayBuffer()
      if (!/cache;desc=hit/.test(res.headers.get('server-timing') ?? '')) {
        problems.set(cached.id, 'not answered from the cache')
      }
    }

    const samples = new Map<string, RoundSample[]>(cases.map((c) => [c.id, []]))
    let rounds = 0
    for (let round = 1; round <= options.rounds; round++) {
      const elapsed = (Date.now() - began) / 1000
      const perRound = rounds ? (Date.now() - roundsBegan) / 1000 / rounds : 0
      if (rounds && elapsed + perRound > options.budgetS) {
        options.log(
          `stopping after ${rounds} rounds: another would pass the ${options.budgetS} s budget`
        )
        break
      }
      options.log(`round ${round} of ${options.rounds} (${elapsed.toFixed(0)} s in)`)
      rounds++
      // Every other round runs backwards (A B C … C B A …): the machine's speed drifts within a
      // round, and a case always last would always meet the drift at its worst. With an even
      // number of rounds every case holds every place as often.
      for (const c of round % 2 === 1 ? order : [...order].reverse()) {
        // Rounds 1, 2 on the first process, 3, 4 on the next…: each pair is A B C … C B A, so
        // rounds a multiple of 2 × replicas give every process and every place the same weight.
        const t = target(c, Math.floor((round - 1) / 2))
        const sample = await loadRun(
          t.url,
          visitorHeaders[c.visitor],
          options.connections,
          options.durationS,
          t.pid
        )
        samples.get(c.id)?.push(sample)
        await sleep(100)
      }
    }

    // The experiments' store requests per page view, under steady load: the rounds are short
    // bursts with idle gaps, and each burst's first and last flushes would weigh far more than
    // in steady traffic. So the variant gets one continuous run of `storeS` seconds, and the
    // batcher's own count (/_tailor/health) is read before it and once its last batch is in.
    let bet: BetResult | undefined
    const betCase = cases.find((c) => byId.get(c.instance)?.spec.store)
    if (betCase && !problems.has(betCase.id)) {
      const r = byId.get(betCase.instance) as Running
      const storeRequests = async () => {
        const health = (await (await fetch(new URL('/_tailor/health', r.url))).json()) as {
          experiments?: { flushes: number; failures: number }
        }
        return (health.experiments?.flushes ?? 0) + (health.experiments?.failures ?? 0)
      }
      // The batcher flushes at most about once a second: let the rounds' last batches land.
      await sleep(1500)
      const before = await storeRequests()
      const seconds = options.storeS ?? 5
      options.log(`store requests under ${seconds} s of steady load`)
      const t = target(betCase)
      const steady = await loadRun(
        t.url,
        visitorHeaders[betCase.visitor],
        options.connections,
        seconds,
        t.pid
      )
      await sleep(1500)
      bet = {
        pageViews: steady.completed - steady.errors,
        storeRequests: (await storeRequests()) - before,
        seconds: steady.seconds,
      }
    }

    let core: CoreResult | undefined
    const coreInstance = byId.get('core-50')
    if (coreInstance) {
      options.log('core micro-benchmark')
      core = await runCore(coreInstance, visitorHeaders.cookie, options)
    }
    return {
      rounds,
      cases: cases.map((c) => ({
        id: c.id,
        label: c.label,
        page: c.page,
        pass: c.pass,
        rewriter: c.rewriter,
        problem: problems.get(c.id),
        samples: samples.get(c.id) ?? [],
      })),
      core,
      bet,
    }
  } finally {
    await Promise.allSettled(running.map((r) => r.mf.dispose()))
    if (origin && origin.exitCode === null) {
      origin.kill('SIGTERM')
    }
    await rm(dir, { recursive: true, force: true })
  }
}

/** The pure core on the 50-slot config, timed in batches inside workerd; CPU from /proc too. */
async function runCore(
  r: Running,
  headers: Record<string, string>,
  options: BenchOptions
): Promise<CoreResult> {
  type CoreAnswer = { perCallUs: number[]; edits: number; slots: number }
  const ask = async (render: boolean, batches: number) => {
    const query = `calls=${options.coreCalls}&batches=${batches}&render=${render ? 1 : 0}`
    const res = await fetch(new URL(`/core?${query}`, r.url), { headers })
    return (await res.json()) as CoreAnswer
  }
  const quantile = (values: number[], q: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ??
    NaN
  await ask(true, 2)
  const before = cpuMs(r.pid)
  const read = await ask(false, options.coreBatches)
  const cpu = cpuMs(r.pid) - before
  const rendered = await ask(true, options.coreBatches)
  const calls = options.coreCalls * options.coreBatches
  return {
    medianUs: quantile(read.perCallUs, 0.5),
    p90Us: quantile(read.perCallUs, 0.9),
    cpuUsPerCall: (cpu * 1000) / calls,
    renderMedianUs: quantile(rendered.perCallUs, 0.5),
    calls,
    batches: options.coreBatches,
    slots: read.slots,
    edits: rendered.edits,
  }
}
