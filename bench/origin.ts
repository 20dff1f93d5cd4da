// The benchmark's origin: a Node HTTP server on 127.0.0.1 serving the generated pages, fast or slow.
// Run as its own process (so its CPU is not the load generator's); prints {"port":N} when ready,
// and exits when its parent closes stdin, on SIGTERM, or after MAX_LIFETIME_MS whatever happens.
import { createServer } from 'node:http'
import type { PageSize } from './page'
import { generatePage, HARNESS_PAGE, PAGE_SIZES } from './page'

/** How long `/slow/*` waits before answering, in ms: an origin that renders each page. */
export const SLOW_MS = 50

/** The origin never outlives this, even if its parent vanished without closing stdin. */
const MAX_LIFETIME_MS = 15 * 60_000

const pages = new Map<string, Buffer>()
for (const [name, bytes] of Object.entries(PAGE_SIZES)) {
  pages.set(name, Buffer.from(generatePage(bytes)))
}
// The outside harness's page (issue 9): /harness/100k, served like /page/* (`no-cache`).
const harness = Buffer.from(generatePage(HARNESS_PAGE.bytes, HARNESS_PAGE))

const server = createServer((req, res) => {
  const match = /^\/(page|slow|harness)\/([a-z0-9]+)$/.exec((req.url ?? '').split('?')[0] ?? '')
  const body =
    match?.[1] === 'harness'
      ? match[2] === '100k'
        ? harness
        : undefined
      : match
        ? pages.get(match[2] as PageSize)
        : undefined
  if (!match || !body || req.method !== 'GET') {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' })
    res.end(req.url === '/health' ? 'ok' : 'not found')
    return
  }
  const send = () =>
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': String(body.length),
        // A dynamic page (every request rendered) versus one the origin lets shared caches keep.
        'cache-control': match[1] === 'slow' ? 'public, max-age=60' : 'no-cache',
      })
      .end(body)
  if (match[1] === 'slow') {
    setTimeout(send, SLOW_MS)
  } else {
    send()
  }
})
server.keepAliveTimeout = 30_000

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' ? address?.port : 0 })}\n`
  )
})

function stop(): void {
  server.closeAllConnections()
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 1000).unref()
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
setTimeout(stop, MAX_LIFETIME_MS).unref()
