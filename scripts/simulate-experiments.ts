// `npm run experiments:simulate`: synthetic visitors through a running local worker, so the report has counts.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { compileConfig, configRevision } from '../src/config'
import { parsePushArgs, wranglerArgs } from './config-push'
import { OFFLINE_WRANGLER_ENV } from './wrangler-env'

const USAGE = `usage: npm run experiments:simulate -- [--url URL] [--visitors N] [--seconds S] [--seed N]
                                        [--skew weights|none] [--persist-to DIR]

Drives synthetic visitors through the real worker (\`npm run dev\`, loopback only): each one says
it cycles, agrees to tests, views the home page a few times, and follows the tested blocks'
links (their signed ping) at known rates per arm. A third of the way in, it plays a classic cause of a
sample-ratio mismatch on "picks-order": the weight of its second arm is raised fourfold without a
phase bump, in the local hot config (as \`npm run config:push -- --local\` writes it), and set back
when the run ends. Visitors enrolled meanwhile keep their arm, so the experiment's units stop
following its weights and \`npm run report\` raises the SRM alert (docs/report.md).

  --url URL         the worker (default http://127.0.0.1:8787); only 127.0.0.1, ::1 or localhost
  --visitors N      synthetic visitors, 1 to 5000 (default 600)
  --seconds S       stop after S seconds whatever is left, 1 to 600 (default 120)
  --seed N          the run's random seed (default 1)
  --skew MODE       "weights" (default): the mid-run weight change above; "none": no change
  --persist-to DIR  wrangler's local state of the running \`npm run dev\` (default .wrangler/state),
                    where the weight change is written`

/** Click rates per experiment and arm: what the report should find again. */
export const ARM_RATES: Record<string, number[]> = {
  'hero-cyclists': [0.04, 0.07],
  'newsletter-wording': [0.02, 0.03],
  'offer-box': [0.02, 0.06, 0.035],
  'picks-order': [0.08, 0.08],
}

/**
 * The mid-run weight change: `arm`'s weight times `factor` (a 50/50 split becomes 20/80), phase
 * unchanged, for the last two thirds of the visitors.
 */
export const SKEW = { experiment: 'picks-order', arm: 1, factor: 4 }

/** What a simulation was asked to do. */
export type SimulateArgs = {
  url: URL
  visitors: number
  seconds: number
  seed: number
  skew: 'weights' | 'none'
  /** wrangler's local state directory (undefined: wrangler's default, .wrangler/state). */
  persistTo?: string | undefined
}

/** Parse and bound the command line; throws an Error that says what is wrong. */
export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      visitors: { type: 'string', default: '600' },
      seconds: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
      skew: { type: 'string', default: 'weights' },
      'persist-to': { type: 'string' },
    },
  })
  const url = new URL(values.url)
  if (!['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) {
    throw new Error(`Expected a loopback --url (127.0.0.1, ::1, localhost). Got "${url.hostname}".`)
  }
  const skew = values.skew
  if (skew !== 'weights' && skew !== 'none') {
    throw new Error(`Expected --skew weights or none. Got "${skew}".`)
  }
  const int = (name: string, text: string, max: number) => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new Error(`Expected --${name} between 1 and ${max}. Got "${text}".`)
    }
    return n
  }
  return {
    url,
    visitors: int('visitors', values.visitors, 5000),
    seconds: int('seconds', values.seconds, 600),
    seed: int('seed', values.seed, 2 ** 31),
    skew,
    persistTo: values['persist-to'],
  }
}

/** mulberry32: the same visitors every run with the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A ping link's (experiment, arm), read from its token's payload (signed, not secret). */
export function readPingLink(href: string): { experiment: string; arm: number } | undefined {
  const token = /\/_tailor\/ping\/([^"'?#\s]+)/.exec(href)?.[1]
  const payload = token?.split('.')[2]
  if (!payload) {
    return undefined
  }
  try {
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      d?: unknown
    }
    const d = json.d as Record<string, unknown> | unknown[] | undefined
    // The token's data names the experiment and the arm; accept the object or the tuple form.
    const experiment = Array.isArray(d) ? d[0] : (d as Record<string, unknown>)?.e
    const arm = Array.isArray(d) ? d[2] : (d as Record<string, unknown>)?.a
    return typeof experiment === 'string' && typeof arm === 'number'
      ? { experiment, arm }
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The arm the visitor's own cookie holds for an experiment (its signed payload is readable by
 * design: `experiments: { id: [phase, arm, bits] }`), or undefined.
 */
export function assignedArm(cookieHeader: string, experiment: string): number | undefined {
  for (const pair of cookieHeader.split('; ')) {
    const payload = pair.slice(pair.indexOf('=') + 1).split('.')[2]
    try {
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as {
        d?: { experiments?: Record<string, unknown> }
      }
      const entry = claims.d?.experiments?.[experiment]
      if (Array.isArray(entry) && typeof entry[1] === 'number') {
        return entry[1]
      }
    } catch {
      // Not a Tailor token.
    }
  }
  return undefined
}

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1'
const DESKTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'

/** One visitor's cookie jar (one cookie per name, as a browser keeps them for one site). */
class Jar {
  private readonly cookies = new Map<string, string>()
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

/**
 * The config with the skew applied: a copy in which `skew.experiment`'s arm `skew.arm` weighs
 * `skew.factor` times as much, its phase unchanged. Undefined when there is no such arm.
 * @example skewedConfig(config) // picks-order's arms weigh 1 and 4 instead of 1 and 1
 */
export function skewedConfig(config: unknown, skew = SKEW): unknown {
  type Doc = { experiments?: { id?: unknown; arms?: { weight?: unknown }[] }[] }
  const copy = structuredClone(config) as Doc | null
  const arm = copy?.experiments?.find((e) => e.id === skew.experiment)?.arms?.[skew.arm]
  if (!arm || typeof arm.weight !== 'number') {
    return undefined
  }
  arm.weight *= skew.factor
  return copy
}

/** wrangler from the project, offline; resolves with what it printed on stdout. */
function wrangler(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(resolve('node_modules/.bin/wrangler'), args, {
      env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('error', fail)
    child.once('exit', (code) =>
      code === 0
        ? done(out)
        : fail(new Error(`wrangler ${args.slice(0, 3).join(' ')} failed: ${err.trim()}`))
    )
  })
}

/**
 * The hot config of `npm run dev` (its local TAILOR_CONFIG namespace), read, written (the
 * command `npm run config:push -- --local` runs) and removed.
 */
export function localConfig(persistTo?: string) {
  const push = parsePushArgs(['--local'])
  const where = [
    ...['--binding', push.binding, '--env', push.env ?? 'dev', '--local'],
    ...(persistTo === undefined ? [] : ['--persist-to', persistTo]),
  ]
  return {
    /** The stored text, or undefined when nothing was pushed (the bundled config is live). */
    async get(): Promise<string | undefined> {
      const out = await wrangler(['kv', 'key', 'get', push.key, '--text', ...where])
      // wrangler's answer (exit 0) for a missing key; a config is JSON and never reads so.
      return out.trim() === 'Value not found' ? undefined : out
    },
    async put(text: string): Promise<void> {
      const dir = mkdtempSync(join(tmpdir(), 'tailor-simulate-'))
      try {
        const file = join(dir, 'config.json')
        writeFileSync(file, text)
        await wrangler(wranglerArgs(push, file, persistTo))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    async remove(): Promise<void> {
      await wrangler(['kv', 'key', 'delete', push.key, ...where])
    },
  }
}

/** The revision of the config the worker runs (its /_tailor/health), or undefined. */
async function liveRevision(base: string): Promise<string | undefined> {
  try {
    const health = (await (await fetch(`${base}/_tailor/health`)).json()) as {
      config?: { revision?: unknown }
    }
    return typeof health.config?.revision === 'string' ? health.config.revision : undefined
  } catch {
    return undefined
  }
}

/** Wait until the worker runs config `revision` (under `npm run dev` it reads KV every 2 s). */
async function waitForRevision(base: string, revision: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while ((await liveRevision(base)) !== revision) {
    if (Date.now() > deadline) {
      throw new Error(
        `the worker did not take config ${revision} within ${timeoutMs / 1000} s: is --persist-to the state directory of the running \`npm run dev\`?`
      )
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/**
 * Raise the skewed arm's weight in the worker's live config, phase unchanged; returns how to set
 * it back, or undefined (said in the log) when the live config has no such experiment.
 */
async function startSkew(base: string, persistTo: string | undefined, log: typeof console.log) {
  const before = await liveRevision(base)
  const local = localConfig(persistTo)
  const stored = await local.get()
  // Nothing pushed: the worker runs the bundled tailor.config.json (checked by its revision).
  const live: unknown = JSON.parse(stored ?? readFileSync('tailor.config.json', 'utf8'))
  const skewed = skewedConfig(live)
  if (before === undefined || configRevision(live) !== before) {
    log('skew skipped: the worker does not run the config this run can read')
    return undefined
  }
  if (skewed === undefined || !compileConfig(skewed).ok) {
    log(`skew skipped: the live config has no experiment "${SKEW.experiment}" to skew`)
    return undefined
  }
  await local.put(JSON.stringify(skewed, null, 2))
  await waitForRevision(base, configRevision(skewed))
  log(`${SKEW.experiment}: arm ${SKEW.arm} now weighs ${SKEW.factor}× more, same phase`)
  // Once, whoever asks first (the end of the run, or Ctrl-C).
  let back: Promise<void> | undefined
  return () =>
    (back ??= (async () => {
      await (stored === undefined ? local.remove() : local.put(stored))
      await waitForRevision(base, before)
      log(`${SKEW.experiment}: weights set back`)
    })())
}

/** Run the simulation; returns what was sent, by experiment and arm. */
export async function simulate(args: SimulateArgs, log = console.log) {
  const random = seeded(args.seed)
  const base = args.url.origin
  const deadline = Date.now() + args.seconds * 1000
  const seen: Record<string, number[]> = {}
  let clicks = 0
  let done = 0
  let skewed = 0
  let restore: (() => Promise<void>) | undefined
  const same = { origin: base, 'sec-fetch-site': 'same-origin' }
  const persistTo =
    args.persistTo === undefined
      ? undefined
      : resolve(process.env.INIT_CWD ?? process.cwd(), args.persistTo)
  // Ctrl-C mid-run still sets the weights back before leaving.
  const interrupted = () => {
    void (restore?.() ?? Promise.resolve()).finally(() => process.exit(130))
  }
  try {
    for (let v = 0; v < args.visitors && Date.now() < deadline; v++) {
      if (v === Math.ceil(args.visitors / 3) && args.skew === 'weights') {
        restore = await startSkew(base, persistTo, log)
        process.once('SIGINT', interrupted)
      }
      if (restore) {
        skewed++
      }
      clicks += await visit(base, random, seen, same)
      done++
      if (done % 100 === 0) {
        log(`${done} visitors, ${clicks} clicks, ${skewed} under the skewed weights`)
      }
    }
  } finally {
    process.off('SIGINT', interrupted)
    await restore?.()
  }
  log(`done: ${done} visitors, ${clicks} clicks, ${skewed} under the skewed weights`)
  return { visitors: done, clicks, skewed, seen }
}

/** One synthetic visitor, start to end; returns the clicks it made. */
async function visit(
  base: string,
  random: () => number,
  seen: Record<string, number[]>,
  same: Record<string, string>
): Promise<number> {
  let clicks = 0
  const jar = new Jar()
  const device = random() < 0.5 ? PHONE : DESKTOP
  // Every request of a visitor carries its browser's user agent (a bare client reads as a bot).
  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, {
      redirect: 'manual',
      ...init,
      headers: {
        'user-agent': device,
        cookie: jar.header,
        ...(init.headers as Record<string, string>),
      },
    })
    jar.take(res)
    return res
  }
  // Most visitors cycle (the hero test's audience) and agree to tests (sticky visitor units).
  if (random() < 0.7) {
    await send('/_tailor/api/preferences', {
      method: 'PUT',
      headers: { ...same, 'content-type': 'application/json' },
      body: JSON.stringify({ interests: ['cycling'] }),
    }).then((r) => r.body?.cancel())
  }
  if (random() < 0.8) {
    await send('/_tailor/api/tests', {
      method: 'PUT',
      headers: { ...same, 'content-type': 'application/json' },
      body: JSON.stringify({ agreed: true }),
    }).then((r) => r.body?.cancel())
  }
  const views = 1 + Math.floor(random() * 3)
  for (let p = 0; p < views; p++) {
    const html = await (await send('/')).text()
    // Every link of a tested block carries the same ping (one token per block and page view), so
    // one draw per block: an arm's clicks follow ARM_RATES, not how many links (hidden ones
    // included) its markup has.
    const pings = [...new Set([...html.matchAll(/ping="([^"]+)"/g)].map((m) => m[1] as string))]
    for (const href of pings) {
      const link = readPingLink(href)
      if (link) {
        ;(seen[link.experiment] ??= [])[link.arm] =
          ((seen[link.experiment] ?? [])[link.arm] ?? 0) + 1
      }
    }
    for (const href of pings) {
      const link = readPingLink(href)
      const rate = link ? ARM_RATES[link.experiment]?.[link.arm] : undefined
      if (rate !== undefined && random() < rate / views) {
        clicks++
        await send(href.replace(/^https?:\/\/[^/]+/, ''), {
          method: 'POST',
          headers: { 'content-type': 'text/ping', 'ping-to': `${base}/`, ...same },
          body: 'PING',
        }).then((r) => r.body?.cancel())
      }
    }
  }
  return clicks
}

if (process.argv[1]?.endsWith('scripts/simulate-experiments.ts')) {
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) {
    console.log(USAGE)
  } else {
    try {
      await simulate(parseSimulateArgs(argv))
      console.log('Counts reach the store within about a second; then run `npm run report`.')
    } catch (err) {
      console.error(`experiments:simulate: ${(err as Error).message}`)
      process.exitCode = 2
    }
  }
}
