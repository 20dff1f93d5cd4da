// `npm run bench:stress`: Tailor against a bare pass-through worker on pages far larger than the
// demo's, and on origins that stall or reset mid-body. Each worker runs in its own workerd; the
// origin is a Node server in this process. Loopback only, ports 9300-9309, every loop bounded.
// Usage: node scripts/run-ts.mjs bench/stress.ts [--out FILE] [--scale F]
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Miniflare } from 'miniflare'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer, request as httpRequest } from 'node:http'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { loadKeyring, writeVisitor } from '../src/visitor'
import { BENCH_PREFS, BENCH_SECRET, benchConfig, EDIT_MARKER, slotSelector } from './configs'
import { buildWorker } from './lib/bundle'
import { sampleRss } from './lib/proc'
import { BENCH_RUNTIME, startWorkerd } from './lib/workerd'

/** Loopback ports: the origin, then one per worker. */
const ORIGIN_PORT = 9300
const WORKER_PORTS = { pass: 9301, rewriter: 9302, tailor: 9303 } as const
type WorkerId = keyof typeof WORKER_PORTS
/** Ports of the second runtime's pass-through and Tailor (the failure cases only). */
const NEWER_PORTS = { pass: 9304, rewriter: 9305, tailor: 9306 } as const

/**
 * The newer workerd that @cloudflare/vitest-plugin brings (what `npm test` runs on), used for the
 * failure cases besides wrangler 4.86's own: the two end an errored chunked body differently.
 */
const NEWER_WORKERD = resolve('node_modules/@cloudflare/workerd-linux-64/bin/workerd')

/** No single request may take longer than this; the whole run is a dozen of them. */
const REQUEST_TIMEOUT_MS = 60_000

const MB = 1024 * 1024

type Args = { out: string | undefined; scale: number }

function parseArgs(argv: string[]): Args {
  const args: Args = { out: undefined, scale: 1 }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
      args.out = argv[++i]
    } else if (argv[i] === '--scale') {
      const n = Number(argv[++i])
      if (!Number.isFinite(n) || n < 0.01 || n > 1) {
        throw new Error(`stress: --scale must be from 0.01 to 1. Got ${argv[i]}.`)
      }
      args.scale = n
    } else {
      throw new Error(`stress: unknown argument ${argv[i]}`)
    }
  }
  return args
}

/** A deterministic byte source (xorshift32), so the binary is the same on every run. */
function pseudoRandomBytes(size: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = seed >>> 0
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out.writeUInt32LE(x, Math.min(i, size - 4))
  }
  return out
}

const SLOT = slotSelector(0).replace(/^\[|\]$/g, '') // data-tailor="slot-0"
const BLOCK = `<div ${SLOT}><p>General picks for everyone.</p></div>\n`
const END = '<!-- end of page -->'

/** The pages the origin serves, built once. */
function buildPages(scale: number) {
  const bigSize = Math.round(50 * MB * scale)
  const filler = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n'
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>Big</title></head><body>\n${BLOCK}`
  const tail = `${END}</body></html>\n`
  const big = Buffer.from(
    head +
      filler.repeat(
        Math.max(1, Math.floor((bigSize - head.length - tail.length) / filler.length))
      ) +
      tail
  )
  const blocks = Math.round(100_000 * scale)
  const many = Buffer.from(`<!doctype html><html><body>\n${BLOCK.repeat(blocks)}${tail}`)
  const depth = Math.round(10_000 * scale)
  const nested = Buffer.from(
    `<!doctype html><html><body>${'<div>'.repeat(depth)}${BLOCK}${'</div>'.repeat(depth)}${tail}`
  )
  const binary = pseudoRandomBytes(Math.round(50 * MB * scale))
  return { big, many, blocks, nested, depth, binary }
}

type Pages = ReturnType<typeof buildPages>

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Write `body` in `size`-byte chunks, waiting `gapMs` between them (respecting backpressure). */
async function paced(res: ServerResponse, body: Buffer, size: number, gapMs: number) {
  for (let at = 0; at < body.length && !res.destroyed; at += size) {
    if (!res.write(body.subarray(at, at + size))) {
      await new Promise((r) => res.once('drain', r))
    }
    if (gapMs) {
      await sleep(gapMs)
    }
  }
  res.end()
}

/** The origin: each path one behaviour. Returns a stop function. */
function startOrigin(pages: Pages): Promise<() => Promise<void>> {
  const html = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0]
    switch (path) {
      case '/big':
        // 50 MB in 256 KB chunks, 2 ms apart: an origin that renders as it goes.
        res.writeHead(200, html)
        void paced(res, pages.big, 256 * 1024, 2)
        return
      case '/many':
        res.writeHead(200, html)
        void paced(res, pages.many, 64 * 1024, 0)
        return
      case '/nested':
        res.writeHead(200, html)
        void paced(res, pages.nested, 64 * 1024, 0)
        return
      case '/binary':
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(pages.binary.length),
        })
        void paced(res, pages.binary, 256 * 1024, 0)
        return
      case '/stall':
        // 100 KB, then nothing for 8 s, then the connection is reset: a hung upstream.
        res.writeHead(200, html)
        res.write(pages.big.subarray(0, 100 * 1024))
        setTimeout(() => res.socket?.resetAndDestroy(), 8_000).unref()
        return
      case '/reset':
        // 100 KB, then a TCP reset, chunked (no length that would tell the cut).
        res.writeHead(200, html)
        res.write(pages.big.subarray(0, 100 * 1024), () => {
          setTimeout(() => res.socket?.resetAndDestroy(), 50).unref()
        })
        return
      case '/reset-length':
        // The same with a Content-Length the body never reaches.
        res.writeHead(200, { ...html, 'content-length': String(pages.big.length) })
        res.write(pages.big.subarray(0, 100 * 1024), () => {
          setTimeout(() => res.socket?.resetAndDestroy(), 50).unref()
        })
        return
      default:
        res.writeHead(404).end()
    }
  }
  const server = createServer(handle)
  server.keepAliveTimeout = 1000
  return new Promise((ok) =>
    server.listen(ORIGIN_PORT, '127.0.0.1', () =>
      ok(
        () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      )
    )
  )
}

/** What a client saw of one response. */
type Seen = {
  status: number
  firstByteMs: number
  totalMs: number
  bytes: number
  sha256: string
  /** Ended with the whole message (Node's `res.complete`): a clean end, not an abort. */
  clean: boolean
  error?: string
  text?: string
  rssPeakMb: number
}

/** One GET over a fresh connection, read to the end (or the error), with workerd's peak RSS. */
function fetchRaw(
  port: number,
  path: string,
  headers: Record<string, string>,
  pid: number,
  keepText: boolean
): Promise<Seen> {
  const rss = sampleRss(pid, 25)
  const started = performance.now()
  return new Promise((ok) => {
    let settled = false
    let firstByteMs = NaN
    let bytes = 0
    let status = 0
    const hash = createHash('sha256')
    const parts: Buffer[] = []
    const finish = (clean: boolean, error?: string) => {
      if (settled) {
        return
      }
      settled = true
      clearTimeout(timer)
      ok({
        status,
        firstByteMs,
        totalMs: performance.now() - started,
        bytes,
        sha256: hash.digest('hex'),
        clean,
        error,
        text: keepText ? Buffer.concat(parts).toString('utf8') : undefined,
        rssPeakMb: rss.stop() / MB,
      })
    }
    const req = httpRequest(
      { host: '127.0.0.1', port, path, headers: { ...headers, connection: 'close' }, agent: false },
      (res) => {
        status = res.statusCode ?? 0
        res.on('data', (chunk: Buffer) => {
          if (Number.isNaN(firstByteMs)) {
            firstByteMs = performance.now() - started
          }
          bytes += chunk.length
          hash.update(chunk)
          if (keepText) {
            parts.push(chunk)
          }
        })
        res.on('end', () => finish(res.complete, res.complete ? undefined : 'ended incomplete'))
        res.on('aborted', () => finish(false, 'aborted'))
        res.on('error', (err) => finish(false, err.message))
        res.on('close', () => finish(res.complete, res.complete ? undefined : 'closed'))
      }
    )
    const timer = setTimeout(() => {
      req.destroy(new Error(`client timeout after ${REQUEST_TIMEOUT_MS / 1000} s`))
    }, REQUEST_TIMEOUT_MS)
    req.on('error', (err) => finish(false, err.message))
    req.end()
  })
}

async function bundleWorkers(dir: string): Promise<Record<WorkerId, string>> {
  const out = {} as Record<WorkerId, string>
  const entries: Record<WorkerId, string> = {
    pass: 'bench/workers/passthrough.ts',
    rewriter: 'bench/workers/rewriter.ts',
    tailor: 'bench/workers/tailor.ts',
  }
  for (const [id, entry] of Object.entries(entries) as [WorkerId, string][]) {
    out[id] = join(dir, `${id}.js`)
    await buildWorker(entry, out[id])
  }
  return out
}

type Running = { id: WorkerId; mf: Miniflare; pid: number; port: number; runtime: string }

/** Serve one bundle in its own workerd: wrangler's (default) or the binary at `workerdPath`. */
async function startWorker(id: WorkerId, script: string, workerdPath?: string): Promise<Running> {
  // Miniflare reads the binary's path from the environment when it starts the runtime.
  if (workerdPath) {
    process.env.MINIFLARE_WORKERD_PATH = workerdPath
  } else {
    delete process.env.MINIFLARE_WORKERD_PATH
  }
  const port = workerdPath ? NEWER_PORTS[id] : WORKER_PORTS[id]
  try {
    const { mf, pid } = await startWorkerd(`stress ${id}`, {
      port,
      scriptPath: script,
      ...BENCH_RUNTIME,
      cf: false,
      bindings: {
        ORIGIN: `http://127.0.0.1:${ORIGIN_PORT}`,
        TAILOR_SECRET: BENCH_SECRET,
        HANDLERS: 1,
        // One slot: every `<div data-tailor="slot-0">` matches; the cookie visitor gets HTML in each.
        BENCH_CONFIG: benchConfig(1, { enabled: false }),
      },
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.resume()
        stderr.resume()
      },
    })
    return { id, mf, pid, port, runtime: runtimeVersion(workerdPath) }
  } finally {
    delete process.env.MINIFLARE_WORKERD_PATH
  }
}

/** "workerd 2026-04-26" for wrangler's runtime (miniflare's), or the given binary's. */
function runtimeVersion(workerdPath?: string): string {
  const path =
    workerdPath ??
    resolve('node_modules/miniflare/node_modules/@cloudflare/workerd-linux-64/bin/workerd')
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return workerdPath ? 'workerd (other)' : 'workerd (miniflare)'
  }
}

async function signedCookie(): Promise<string> {
  const loaded = await loadKeyring(BENCH_SECRET)
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  const now = Date.now()
  const header = await writeVisitor(
    { prefs: BENCH_PREFS, created: Math.floor(now / 1000) - 86_400 },
    { name: '__Host-tailor', keyring: loaded.keyring, now, maxAgeDays: 30 }
  )
  return header.slice(0, header.indexOf(';'))
}

type Row = { case: string; worker: WorkerId; runtime: string; seen: Seen; verdict: string }

const count = (text: string, marker: string) => text.split(marker).length - 1

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const pages = buildPages(args.scale)
  const cache = resolve('node_modules/.cache')
  await mkdir(cache, { recursive: true })
  const dir = await mkdtemp(join(cache, 'tailor-stress-'))
  const running: Running[] = []
  let stopOrigin: (() => Promise<void>) | undefined
  const rows: Row[] = []
  try {
    const scripts = await bundleWorkers(dir)
    stopOrigin = await startOrigin(pages)
    for (const id of Object.keys(WORKER_PORTS) as WorkerId[]) {
      running.push(await startWorker(id, scripts[id]))
    }
    const cookie = await signedCookie()
    const headers = { cookie, 'accept-language': 'en', 'accept-encoding': 'identity' }
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

    type Case = {
      name: string
      path: string
      workers: WorkerId[]
      text: boolean
      judge: (seen: Seen, worker: WorkerId) => string
      /** Also run under the newer runtime. */
      both?: boolean
    }
    const complete = (seen: Seen) =>
      seen.status === 200 && seen.clean && (seen.text ?? '').includes(END)
    const cases: Case[] = [
      {
        name: `${(pages.big.length / MB).toFixed(0)} MB paced HTML`,
        path: '/big',
        workers: ['pass', 'tailor'],
        text: true,
        judge: (seen, w) =>
          w === 'pass'
            ? seen.sha256 === sha(pages.big)
              ? 'byte-identical'
              : 'DIFFERS'
            : complete(seen) && count(seen.text ?? '', EDIT_MARKER) === 1
              ? 'complete, 1 slot rewritten'
              : 'INCOMPLETE',
      },
      {
        name: `${pages.blocks.toLocaleString('en')} matching blocks`,
        path: '/many',
        workers: ['pass', 'rewriter', 'tailor'],
        text: true,
        judge: (seen, w) => {
          if (w === 'pass') {
            return seen.sha256 === sha(pages.many) ? 'byte-identical' : 'DIFFERS'
          }
          const n = count(seen.text ?? '', EDIT_MARKER)
          return complete(seen) && n === pages.blocks
            ? `complete, ${n.toLocaleString('en')} rewritten`
            : `INCOMPLETE (${n} rewritten)`
        },
      },
      {
        name: `${pages.depth.toLocaleString('en')} nested divs`,
        path: '/nested',
        workers: ['pass', 'rewriter', 'tailor'],
        text: true,
        judge: (seen, w) =>
          w === 'pass'
            ? seen.sha256 === sha(pages.nested)
              ? 'byte-identical'
              : 'DIFFERS'
            : complete(seen) && count(seen.text ?? '', EDIT_MARKER) === 1
              ? 'complete, 1 slot rewritten'
              : 'INCOMPLETE',
      },
      {
        name: `${(pages.binary.length / MB).toFixed(0)} MB binary`,
        path: '/binary',
        workers: ['pass', 'tailor'],
        text: false,
        judge: (seen) => (seen.sha256 === sha(pages.binary) ? 'byte-identical' : 'DIFFERS'),
      },
      ...(['/stall', '/reset', '/reset-length'] as const).map((path): Case => ({
        name: {
          '/stall': 'origin stalls 8 s, then resets',
          '/reset': 'origin resets mid-body (chunked)',
          '/reset-length': 'origin resets mid-body (Content-Length)',
        }[path],
        path,
        workers: ['pass', 'tailor'],
        text: false,
        both: true,
        judge: (seen) =>
          seen.clean
            ? `CLEAN ${seen.status} of ${(seen.bytes / 1024).toFixed(0)} KB`
            : `failed visibly (${seen.error})`,
      })),
    ]
    const newer = existsSync(NEWER_WORKERD) && cases.some((c) => c.both)
    if (newer) {
      for (const id of ['pass', 'tailor'] as const) {
        running.push(await startWorker(id, scripts[id], NEWER_WORKERD))
      }
    }
    // One small page per worker first, so no measured request pays an isolate's start-up.
    for (const r of running) {
      await fetchRaw(r.port, '/nested', headers, r.pid, false)
    }
    for (const c of cases) {
      const targets = running.filter(
        (r) => c.workers.includes(r.id) && (c.both || r.port === WORKER_PORTS[r.id])
      )
      for (const r of targets) {
        const seen = await fetchRaw(r.port, c.path, headers, r.pid, c.text)
        const verdict = c.judge(seen, r.id)
        rows.push({
          case: c.name,
          worker: r.id,
          runtime: r.runtime,
          seen: { ...seen, text: undefined },
          verdict,
        })
        console.log(
          `stress: ${c.name} · ${r.id} · ${r.runtime}: ${seen.status} in ${(seen.totalMs / 1000).toFixed(2)} s, ` +
            `first byte ${seen.firstByteMs.toFixed(0)} ms, ${(seen.bytes / MB).toFixed(1)} MB, ` +
            `RSS ${seen.rssPeakMb.toFixed(0)} MB: ${verdict}`
        )
        await sleep(200)
      }
    }
  } finally {
    await Promise.allSettled(running.map((r) => r.mf.dispose()))
    await stopOrigin?.()
    await rm(dir, { recursive: true, force: true })
  }
  const table = [
    '| case | worker | runtime | status | first byte | complete in | received | workerd peak RSS | result |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.case} | ${{ pass: 'pass-through', rewriter: 'bare HTMLRewriter', tailor: 'Tailor' }[r.worker]} | ${r.runtime} | ${r.seen.status} | ${r.seen.firstByteMs.toFixed(0)} ms | ${(r.seen.totalMs / 1000).toFixed(2)} s | ${(r.seen.bytes / MB).toFixed(1)} MB | ${r.seen.rssPeakMb.toFixed(0)} MB | ${r.verdict} |`
    ),
  ].join('\n')
  console.log(`\n${table}`)
  if (args.out) {
    await writeFile(args.out, `${table}\n`)
  }
  // A clean short 200 is reported, not failed: which runtime allows what is in docs/operating.md.
  const bad = rows.filter((r) => /DIFFERS|INCOMPLETE/.test(r.verdict))
  if (bad.length) {
    process.exitCode = 1
  }
}

if (process.argv[1]?.endsWith('stress.ts')) {
  main().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
