// Turning benchmark samples into the results table, the targets verdict and a one-line summary.

/** One bounded load run of one case. */
export type RoundSample = {
  completed: number
  seconds: number
  /** Latency percentiles of the run, in ms. */
  p50: number
  p99: number
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number
  /** CPU the case's workerd process used during the run, in ms. */
  cpuMs: number
  /** Peak resident memory of that process during the run, in bytes. */
  rssPeak: number
}

export type CaseResult = {
  id: string
  label: string
  page: string
  /** The pass-through and bare-rewriter cases this one is compared with. */
  pass?: string
  rewriter?: string
  /** Set when the case's response was not what it claims (then its figures mean nothing). */
  problem?: string
  samples: RoundSample[]
}

export type CoreResult = {
  /** `runtime.read()` (verify, context, decide) per call, median over timed batches, in µs. */
  medianUs: number
  p90Us: number
  /** Workerd process CPU over the timed `read()` calls, per call, in µs. */
  cpuUsPerCall: number
  /** `read()` and then `renderEdits()`, per call, median, in µs. */
  renderMedianUs: number
  calls: number
  batches: number
  slots: number
  edits: number
}

export type BundleSize = { rawKb: number; gzipKb: number }

export type Summary = {
  rps: number
  p50: number
  p99: number
  errors: number
  cpuMsPerReq: number
  rssMb: number
  completed: number
}

export type Target = { short: string; goal: string; value: string; met: boolean | undefined }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN) : NaN
}

/**
 * A case's figures over all its rounds: throughput and CPU per request pooled (total over total),
 * latency percentiles the median of the rounds', memory the peak of any round.
 */
export function summarise(c: CaseResult): Summary {
  const completed = c.samples.reduce((n, s) => n + s.completed, 0)
  const seconds = c.samples.reduce((n, s) => n + s.seconds, 0)
  const cpu = c.samples.reduce((n, s) => n + s.cpuMs, 0)
  return {
    rps: seconds ? completed / seconds : 0,
    p50: median(c.samples.map((s) => s.p50)),
    p99: median(c.samples.map((s) => s.p99)),
    errors: c.samples.reduce((n, s) => n + s.errors, 0),
    cpuMsPerReq: completed ? cpu / completed : NaN,
    rssMb: Math.max(0, ...c.samples.map((s) => s.rssPeak)) / 2 ** 20,
    completed,
  }
}

type Table = Map<string, { c: CaseResult; s: Summary }>

function index(cases: CaseResult[]): Table {
  return new Map(cases.map((c) => [c.id, { c, s: summarise(c) }]))
}

/** Throughput ratio, CPU ratio, and "extra CPU" (above the pass-through's) ratio of two cases. */
function ratios(t: Table, id: string, base: string | undefined, pass: string | undefined) {
  const a = t.get(id)?.s
  const b = base === undefined ? undefined : t.get(base)?.s
  const p = pass === undefined ? undefined : t.get(pass)?.s
  if (!a || !b) {
    return undefined
  }
  const extra = p ? (a.cpuMsPerReq - p.cpuMsPerReq) / (b.cpuMsPerReq - p.cpuMsPerReq) : NaN
  return { rps: a.rps / b.rps, cpu: a.cpuMsPerReq / b.cpuMsPerReq, extra }
}

/**
 * The spread of a throughput ratio over the rounds: each round's req/s of `a` over the same
 * round's of `b` (run next to each other), lowest and highest, and the standard error of their
 * mean (their standard deviation over √rounds; 0 with one round). It says how far one run's
 * pooled ratio can be trusted: a target's margin of less than about two standard errors leaves
 * the verdict to the machine's noise (bench/README.md, "Ninth look"). Undefined without a round
 * that both ran.
 * @example roundSpread(tailor, pass) // { low: 0.79, high: 0.93, se: 0.012 }
 */
export function roundSpread(
  a: CaseResult,
  b: CaseResult
): { low: number; high: number; se: number } | undefined {
  const ratios: number[] = []
  for (let i = 0; i < Math.min(a.samples.length, b.samples.length); i++) {
    const x = a.samples[i]
    const y = b.samples[i]
    if (x && y && x.seconds > 0 && y.seconds > 0 && y.completed > 0) {
      ratios.push(x.completed / x.seconds / (y.completed / y.seconds))
    }
  }
  if (!ratios.length) {
    return undefined
  }
  const n = ratios.length
  const mean = ratios.reduce((sum, r) => sum + r, 0) / n
  const variance = n > 1 ? ratios.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (n - 1) : 0
  return { low: Math.min(...ratios), high: Math.max(...ratios), se: Math.sqrt(variance / n) }
}

const fixed = (n: number | undefined, digits: number) =>
  n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits)

/**
 * The experiments variant's counting under steady load: store requests (Durable Object calls,
 * flushed or failed) against the page views served in the same continuous run.
 */
export type BetResult = { pageViews: number; storeRequests: number; seconds: number }

/** Each target of issue 5 with the figure from this run and whether it is met. */
export function targets(
  cases: CaseResult[],
  core: CoreResult | undefined,
  bundle: BundleSize | undefined,
  bet?: BetResult
): Target[] {
  const t = index(cases)
  const bad = (...ids: string[]) => ids.some((id) => !t.has(id) || t.get(id)?.c.problem)
  const out: Target[] = []

  const vsRewriter = ratios(t, 'tailor-10 cookie 100k', 'rewriter-10 100k', 'pass 100k')
  const measured = vsRewriter && !bad('tailor-10 cookie 100k', 'rewriter-10 100k', 'pass 100k')
  out.push({
    short: 'req/s vs rewriter',
    goal: 'Tailor, 10 slots, 100 KB, cookie: throughput ≥ 0.9× the bare 10-handler rewriter',
    value: measured ? `${fixed(vsRewriter.rps, 2)}×` : 'not measured',
    met: measured ? vsRewriter.rps >= 0.9 : undefined,
  })
  out.push({
    short: 'extra CPU vs rewriter',
    goal: 'Tailor, 10 slots, 100 KB, cookie: extra CPU (above pass-through) ≤ 1.15× the bare rewriter’s',
    value: measured
      ? `${fixed(vsRewriter.extra, 2)}× (${fixed(t.get('tailor-10 cookie 100k')?.s.cpuMsPerReq, 3)} vs ${fixed(t.get('rewriter-10 100k')?.s.cpuMsPerReq, 3)} ms, pass-through ${fixed(t.get('pass 100k')?.s.cpuMsPerReq, 3)} ms)`
      : 'not measured',
    met: measured ? vsRewriter.extra <= 1.15 : undefined,
  })

  const same = ratios(t, 'tailor-10 same 100k', 'pass 100k', 'pass 100k')
  const sameOk = same && !bad('tailor-10 same 100k', 'pass 100k')
  out.push({
    short: 'unchanged vs pass-through',
    goal: 'A visitor for whom nothing changes: throughput ≥ 0.9× pass-through (100 KB)',
    value: sameOk ? `${fixed(same.rps, 2)}× (CPU ${fixed(same.cpu, 2)}×)` : 'not measured',
    met: sameOk ? same.rps >= 0.9 : undefined,
  })

  const dom = ratios(t, 'tailor-10 cookie 100k', 'dom-10 100k', 'pass 100k')
  const domOk = dom && !bad('tailor-10 cookie 100k', 'dom-10 100k')
  out.push({
    short: 'vs DOM peer',
    goal: 'Throughput ≥ 20× the DOM-parse peer’s at 100 KB',
    value: domOk ? `${fixed(dom.rps, 1)}× (CPU ${fixed(1 / dom.cpu, 1)}× less)` : 'not measured',
    met: domOk ? dom.rps >= 20 : undefined,
  })

  const small = t.get('tailor-10 cookie 15k')?.s
  const large = t.get('tailor-10 cookie 1m')?.s
  const flatOk = small && large && !bad('tailor-10 cookie 15k', 'tailor-10 cookie 1m')
  const domSmall = t.get('dom-10 15k')?.s
  const domLarge = t.get('dom-10 1m')?.s
  out.push({
    short: 'RSS 1 MB / 15 KB',
    goal: 'Memory flat from 15 KB to 1 MB pages (peak RSS of Tailor’s workerd at 1 MB ≤ 1.25× at 15 KB)',
    value: flatOk
      ? `${fixed(large.rssMb / small.rssMb, 2)}× (${fixed(small.rssMb, 0)} → ${fixed(large.rssMb, 0)} MB; DOM peer ${fixed(domSmall?.rssMb, 0)} → ${fixed(domLarge?.rssMb, 0)} MB)`
      : 'not measured',
    met: flatOk ? large.rssMb <= 1.25 * small.rssMb : undefined,
  })

  out.push({
    short: 'core',
    goal: 'Cookie verify + context + decision, 50 slots (150 rules): median < 50 µs',
    value: core
      ? `${fixed(core.medianUs, 1)} µs median, ${fixed(core.p90Us, 1)} µs p90 (${fixed(core.cpuUsPerCall, 1)} µs CPU per call from /proc; ${fixed(core.renderMedianUs, 1)} µs with rendering the ${core.edits} edits)`
      : 'not measured',
    met: core ? core.medianUs < 50 : undefined,
  })

  // Issue 11: two running experiments on the 10-slot page, against the same page without.
  const betSize = t.has('tailor-10 bet cookie 100k') ? '100k' : '15k'
  const withBet = t.get(`tailor-10 bet cookie ${betSize}`)
  const without = t.get(`tailor-10 cookie ${betSize}`)
  const betOk = withBet && without && !bad(withBet.c.id, without.c.id)
  const cpuRatio = betOk ? withBet.s.cpuMsPerReq / without.s.cpuMsPerReq : undefined
  out.push({
    short: 'experiments CPU',
    goal: `2 running experiments, 10 slots, ${betSize}, cookie: CPU per request ≤ 1.05× the same page without`,
    value:
      cpuRatio === undefined
        ? 'not measured'
        : `${fixed(cpuRatio, 3)}× (${fixed(withBet?.s.cpuMsPerReq, 3)} vs ${fixed(without?.s.cpuMsPerReq, 3)} ms)`,
    met: cpuRatio === undefined ? undefined : cpuRatio <= 1.05,
  })
  const perView = bet && bet.pageViews > 0 ? bet.storeRequests / bet.pageViews : undefined
  out.push({
    short: 'store requests',
    goal: 'Durable Object requests per page view with 2 experiments, steady load < 1/50',
    value:
      perView === undefined || !bet
        ? 'not measured'
        : `1 per ${fixed(1 / perView, 0)} (${bet.storeRequests} requests for ${bet.pageViews} page views in ${fixed(bet.seconds, 0)} s)`,
    met: perView === undefined ? undefined : perView < 1 / 50,
  })

  // Issue 9: the outside harness's set-up (deploy bundle, top-level env), with and without a secret.
  // Each row also gives its rounds' spread and standard error: its margin to the target is small.
  const spread = (id: string, base: string) => {
    const a = t.get(id)?.c
    const b = t.get(base)?.c
    const r = a && b ? roundSpread(a, b) : undefined
    return r
      ? `; rounds ${fixed(r.low, 2)}–${fixed(r.high, 2)}×, standard error ${fixed(r.se, 3)}`
      : ''
  }
  for (const mode of ['no secret', 'secret']) {
    const en = `production ${mode} en`
    const fr = `production ${mode} fr`
    const unchanged = ratios(t, en, 'pass harness', 'pass harness')
    const unchangedOk = unchanged && !bad(en, 'pass harness')
    out.push({
      short: `prod ${mode} en`,
      goal: `Deploy bundle, ${mode}, \`Accept-Language: en\` (nothing changes): throughput ≥ 0.85× pass-through (harness page)`,
      value: unchangedOk
        ? `${fixed(unchanged.rps, 2)}× (CPU ${fixed(unchanged.cpu, 2)}×: ${fixed(t.get(en)?.s.cpuMsPerReq, 3)} vs ${fixed(t.get('pass harness')?.s.cpuMsPerReq, 3)} ms${spread(en, 'pass harness')})`
        : 'not measured',
      met: unchangedOk ? unchanged.rps >= 0.85 : undefined,
    })
    const changed = ratios(t, fr, 'rewriter-10 harness', 'pass harness')
    const changedOk = changed && !bad(fr, 'rewriter-10 harness', 'pass harness')
    out.push({
      short: `prod ${mode} fr`,
      goal: `Deploy bundle, ${mode}, \`Accept-Language: fr\` (10 slots change): throughput ≥ 0.95× the bare 10-handler rewriter`,
      value: changedOk
        ? `${fixed(changed.rps, 2)}× (extra CPU ${fixed(changed.extra, 2)}×: ${fixed(t.get(fr)?.s.cpuMsPerReq, 3)} vs ${fixed(t.get('rewriter-10 harness')?.s.cpuMsPerReq, 3)} ms${spread(fr, 'rewriter-10 harness')})`
        : 'not measured',
      met: changedOk ? changed.rps >= 0.95 : undefined,
    })
  }

  out.push({
    short: 'bundle',
    goal: 'Worker bundle (`wrangler deploy --dry-run --outdir`) < 60 KB gzipped',
    value: bundle
      ? `${fixed(bundle.gzipKb, 1)} KB gzipped (${fixed(bundle.rawKb, 0)} KB raw)`
      : 'not measured',
    met: bundle ? bundle.gzipKb < 60 : undefined,
  })
  return out
}

/** The results table, in markdown. */
export function resultsTable(cases: CaseResult[]): string {
  const t = index(cases)
  const rows = [
    '| variant | page | req/s | p50 ms | p99 ms | errors | CPU ms/req | peak RSS MB | req/s ÷ pass-through | req/s ÷ rewriter | extra CPU ÷ rewriter’s |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const { c, s } of t.values()) {
    const vsPass = ratios(t, c.id, c.pass, c.pass)
    const vsRewriter = ratios(t, c.id, c.rewriter, c.pass)
    const label = c.problem ? `${c.label} ⚠ ${c.problem}` : c.label
    rows.push(
      `| ${label} | ${c.page} | ${fixed(s.rps, 0)} | ${fixed(s.p50, 1)} | ${fixed(s.p99, 1)} | ${s.errors} | ${fixed(s.cpuMsPerReq, 3)} | ${fixed(s.rssMb, 0)} | ${c.pass ? fixed(vsPass?.rps, 2) : '1.00'} | ${fixed(vsRewriter?.rps, 2)} | ${fixed(vsRewriter?.extra, 2)} |`
    )
  }
  return rows.join('\n')
}

/** The targets as a markdown list. */
export function targetList(list: Target[]): string {
  return list
    .map((t) => `- ${t.met === undefined ? '–' : t.met ? '✅' : '❌'} ${t.goal}: **${t.value}**`)
    .join('\n')
}

/** One line for the terminal: the headline ratios and how many targets are met. */
export function summaryLine(cases: CaseResult[], list: Target[]): string {
  const t = index(cases)
  const measured = list.filter((x) => x.met !== undefined)
  const met = measured.filter((x) => x.met).length
  const problems = cases.filter((c) => c.problem).length
  const errors = cases.reduce((n, c) => n + summarise(c).errors, 0)
  const head = list.some((x) => x.met !== undefined)
    ? list
        .filter((x) => x.met !== undefined)
        .map((x) => `${x.short} ${x.value.split(' (')[0]}${x.met ? '' : ' ✗'}`)
        .join(', ')
    : [...t.values()].map(({ c, s }) => `${c.id} ${s.rps.toFixed(0)} req/s`).join(', ')
  return `bench: ${head}; targets ${met}/${measured.length} met; ${errors} errors; ${problems} failed checks`
}
