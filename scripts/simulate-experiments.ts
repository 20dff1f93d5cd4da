// `npm run experiments:simulate`: synthetic visitors through a running local worker, so the report has counts.
import { parseArgs } from 'node:util'

const USAGE = `usage: npm run experiments:simulate -- [--url URL] [--visitors N] [--seconds S] [--seed N]

Drives synthetic visitors through the real worker (\`npm run dev\`, loopback only): each one says
it cycles, agrees to tests, views the home page a few times, and follows the tested blocks'
links (their signed ping) at known rates per arm. 30% of the visitors drawn into the second arm
of "picks-order" abandon the page as it loads, as after a broken redirect (docs/report.md says
what that does to the counts, in production and under wrangler dev).

  --url URL      the worker (default http://127.0.0.1:8787); only 127.0.0.1, ::1 or localhost
  --visitors N   synthetic visitors, 1 to 5000 (default 600)
  --seconds S    stop after S seconds whatever is left, 1 to 600 (default 120)
  --seed N       the run's random seed (default 1)`

/** Click rates per experiment and arm: what the report should find again. */
export const ARM_RATES: Record<string, number[]> = {
  'hero-cyclists': [0.04, 0.07],
  'newsletter-wording': [0.02, 0.03],
  'offer-box': [0.02, 0.06, 0.035],
  'picks-order': [0.08, 0.08],
}

/** The experiment whose second arm loses visitors before the page renders, and how many. */
export const BROKEN = { experiment: 'picks-order', arm: 1, drop: 0.3 }

/** What a simulation was asked to do. */
export type SimulateArgs = { url: URL; visitors: number; seconds: number; seed: number }

/** Parse and bound the command line; throws an Error that says what is wrong. */
export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      visitors: { type: 'string', default: '600' },
      seconds: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
    },
  })
  const url = new URL(values.url)
  if (!['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) {
    throw new Error(`Expected a loopback --url (127.0.0.1, ::1, localhost). Got "${url.hostname}".`)
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

/** Run the simulation; returns what was sent, by experiment and arm. */
export async function simulate(args: SimulateArgs, log = console.log) {
  const random = seeded(args.seed)
  const base = args.url.origin
  const deadline = Date.now() + args.seconds * 1000
  const seen: Record<string, number[]> = {}
  let dropped = 0
  let clicks = 0
  let done = 0
  const same = { origin: base, 'sec-fetch-site': 'same-origin' }
  for (let v = 0; v < args.visitors && Date.now() < deadline; v++) {
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
      const controller = new AbortController()
      const res = await send('/', { signal: controller.signal })
      // The broken redirect: a visitor drawn into the broken arm is lost as the page starts to
      // load (the arm is in their own cookie, which arrives with the headers, before the body).
      if (p === 0 && assignedArm(jar.header, BROKEN.experiment) === BROKEN.arm) {
        if (random() < BROKEN.drop) {
          controller.abort()
          await res.body?.cancel().catch(() => undefined)
          dropped++
          break
        }
      }
      const html = await res.text()
      const pings = [...html.matchAll(/ping="([^"]+)"/g)].map((m) => m[1] as string)
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
    done++
    if (done % 100 === 0) {
      log(`${done} visitors, ${clicks} clicks, ${dropped} lost to the broken redirect`)
    }
  }
  log(`done: ${done} visitors, ${clicks} clicks, ${dropped} lost to the broken redirect`)
  return { visitors: done, clicks, dropped, seen }
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
