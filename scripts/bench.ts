// `npm run bench`: the side-by-side benchmark; writes bench/RESULTS.md and prints a one-line summary.
// Usage: node scripts/run-ts.mjs scripts/bench.ts [--duration S] [--rounds N] [--connections N]
//        [--replicas N] [--warmup S] [--budget S] [--out FILE] [--smoke] [--no-bundle]
//        [--set all|production|experiments]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { format, resolveConfig } from 'prettier'
import { boundedNumber } from '../bench/lib/args'
import type { BundleSize } from '../bench/report'
import { resultsTable, summarise, summaryLine, targetList, targets } from '../bench/report'
import type { BenchOptions, BenchSet } from '../bench/run'
import { BENCH_SETS, runBench } from '../bench/run'
import { OFFLINE_WRANGLER_ENV } from './wrangler-env'

type Args = {
  durationS: number
  rounds: number
  connections: number
  replicas: number
  warmupS: number
  out: string
  smoke: boolean
  bundle: boolean
  budgetS: number
  set: BenchSet
}

/**
 * What `--set production` runs when the command line does not say: windows of 1 s (the load
 * generator runs whole seconds, bench/README.md "Eighth look"), 96 rounds, two processes per
 * variant, and a time budget they fit in (a run takes about 11 minutes). Its rows compare Tailor
 * with its base by margins of a few percent, and one round's ratio of a rewritten page to the
 * bare rewriter varies by about 0.2 (standard deviation), window to window: 24 rounds left a
 * standard error of about 0.04, as wide as the margin, and 96 rounds halve it ("Ninth look").
 */
export const PRODUCTION_DEFAULTS = {
  durationS: 1,
  rounds: 96,
  replicas: 2,
  budgetS: 900,
} as const

/** Parse the command line; every number is bounded so a typo cannot start an endless run. */
export function parseArgs(argv: string[]): Args {
  const args: Args = {
    durationS: 2,
    rounds: 3,
    connections: 16,
    replicas: 1,
    warmupS: 1,
    out: 'bench/RESULTS.md',
    smoke: false,
    bundle: true,
    budgetS: 200,
    set: 'all',
  }
  const number = (name: string, value: string | undefined, min: number, max: number) =>
    boundedNumber('bench', name, value, min, max)
  // autocannon runs whole seconds (asked for 0.5 s, it runs 1 s), so a window is whole seconds.
  const seconds = (name: string, value: string | undefined, min: number, max: number) =>
    boundedNumber('bench', name, value, min, max, true)
  const given = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg?.startsWith('--')) {
      given.add(arg)
    }
    switch (arg) {
      case '--duration':
        args.durationS = seconds(arg, argv[++i], 1, 30)
        break
      case '--rounds':
        args.rounds = Math.round(number(arg, argv[++i], 1, 192))
        break
      case '--replicas':
        args.replicas = Math.round(number(arg, argv[++i], 1, 4))
        break
      case '--connections':
        args.connections = Math.round(number(arg, argv[++i], 1, 256))
        break
      case '--warmup':
        args.warmupS = seconds(arg, argv[++i], 1, 10)
        break
      case '--budget':
        args.budgetS = number(arg, argv[++i], 10, 1800)
        break
      case '--out':
        args.out = argv[++i] ?? args.out
        break
      case '--smoke':
        args.smoke = true
        break
      case '--set': {
        const value = argv[++i]
        const found = BENCH_SETS.find((name) => name === value)
        if (!found) {
          throw new Error(`bench: --set must be one of ${BENCH_SETS.join(', ')}. Got ${value}.`)
        }
        args.set = found
        break
      }
      case '--no-bundle':
        args.bundle = false
        break
      default:
        throw new Error(`bench: unknown argument ${arg}`)
    }
  }
  if (args.set === 'production') {
    args.durationS = given.has('--duration') ? args.durationS : PRODUCTION_DEFAULTS.durationS
    args.rounds = given.has('--rounds') ? args.rounds : PRODUCTION_DEFAULTS.rounds
    args.replicas = given.has('--replicas') ? args.replicas : PRODUCTION_DEFAULTS.replicas
    args.budgetS = given.has('--budget') ? args.budgetS : PRODUCTION_DEFAULTS.budgetS
  }
  return args
}

/** The deployable worker's size, as `wrangler deploy --dry-run --outdir` builds it. */
function bundleSize(): BundleSize | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-bundle-'))
  try {
    const run = spawnSync(
      resolve('node_modules/.bin/wrangler'),
      ['deploy', '--dry-run', '--env=', '--outdir', dir],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          ...OFFLINE_WRANGLER_ENV,
        },
      }
    )
    const script = readdirSync(dir).find((f) => f.endsWith('.js'))
    if (run.status !== 0 || !script) {
      console.error(`bench: wrangler deploy --dry-run failed:\n${run.stdout}\n${run.stderr}`)
      return undefined
    }
    const code = readFileSync(join(dir, script))
    // Wrangler's own figure ("Total Upload: … / gzip: 57.24 KiB") when it prints one.
    const said = /gzip:\s*([\d.]+)\s*KiB/.exec(`${run.stdout}${run.stderr}`)
    return {
      rawKb: code.length / 1024,
      gzipKb: said ? Number(said[1]) : gzipSync(code).length / 1024,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const options: BenchOptions = {
    durationS: args.smoke ? Math.min(args.durationS, 1) : args.durationS,
    rounds: args.smoke ? 1 : args.rounds,
    connections: args.smoke ? Math.min(args.connections, 4) : args.connections,
    replicas: args.smoke ? 1 : args.replicas,
    warmupS: args.smoke ? 1 : args.warmupS,
    smoke: args.smoke,
    set: args.set,
    coreCalls: args.smoke ? 50 : 1000,
    coreBatches: args.smoke ? 3 : 25,
    budgetS: args.budgetS,
    // Store requests per page view: one continuous run (longer when it is the set's point).
    storeS: args.smoke ? 1 : args.set === 'experiments' ? 10 : 5,
    log: (line) => console.log(`bench: ${line}`),
  }
  const started = Date.now()
  const { cases, core, rounds, bet } = await runBench(options)
  const bundle = args.bundle ? bundleSize() : undefined
  const list = targets(cases, core, bundle, bet)
  const seconds = (Date.now() - started) / 1000
  const command = `npm run bench${args.smoke ? ' -- --smoke' : args.set !== 'all' ? ` -- --set ${args.set}` : ''}`
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const markdown = `<!-- Written by \`npm run bench\` (scripts/bench.ts): the latest run; do not edit by hand. -->

# Benchmark results

Made by \`${command}\` on ${new Date().toISOString().slice(0, 10)} in ${seconds.toFixed(0)} s: ${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, workerd from miniflare ${readVersion('miniflare')}.
Each variant runs in its own workerd process; autocannon ${readVersion('autocannon')} drives it over loopback with ${options.connections} connections for ${options.durationS} s per round, ${rounds} round${rounds > 1 ? 's' : ''}${rounds < options.rounds ? ` (of ${options.rounds} asked; the time budget cut the rest)` : ''} (every case once per round, in turn, every other round backwards${options.replicas && options.replicas > 1 ? `; ${options.replicas} workerd processes per variant, two rounds each in turn` : ''}), after ${options.warmupS} s of warm-up. CPU is the workerd process's utime + stime (/proc) per completed request; throughput and CPU are pooled over the rounds, latencies are the median of the rounds'.

${resultsTable(cases)}

## Targets (issues 5, 9 and 11)

${targetList(list)}
${
  core
    ? `
The core micro-benchmark calls \`runtime.read()\` (cookie verify, context, decide: what runs before the body streams) for a visitor with a signed cookie on the 50-slot config (${core.slots} slots, 3 variants each, the first of which holds for this visitor), in ${core.batches} batches of ${core.calls / core.batches} calls, each batch timed inside workerd; then again with \`renderEdits()\` after each call.
`
    : ''
}`
  // Written as prettier would format it, so `npm run lint` passes on the committed file.
  const style = (await resolveConfig(resolve(args.out))) ?? {}
  writeFileSync(args.out, await format(markdown, { ...style, parser: 'markdown' }))
  const errors = cases.reduce((n, c) => n + summarise(c).errors, 0)
  const problems = cases.filter((c) => c.problem).length
  console.log(`bench: wrote ${args.out}`)
  console.log(summaryLine(cases, list))
  if (errors || problems) {
    process.exitCode = 1
  }
}

function readVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }
    ).version
  } catch {
    return '?'
  }
}

if (process.argv[1]?.endsWith('bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
