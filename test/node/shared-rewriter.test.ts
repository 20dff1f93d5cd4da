// The page worker's shared rewriter in the real runtime: pages of separate requests, one after
// another and at the same time, each get every edit (src/rewrite/rewriter.ts, `shared`).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { EDIT_MARKER, harnessConfig } from '../../bench/configs'
import { buildPageWorker } from '../../bench/lib/bundle'
import type { StartedWorkerd } from '../../bench/lib/workerd'
import { BENCH_RUNTIME, startWorkerd } from '../../bench/lib/workerd'
import { generatePage, HARNESS_PAGE } from '../../bench/page'

// Inside the project, as the bench's builds: Miniflare reads the script relative to it.
const cache = resolve('node_modules/.cache')
mkdirSync(cache, { recursive: true })
const dir = mkdtempSync(join(cache, 'tailor-shared-'))
const page = generatePage(HARNESS_PAGE.bytes, HARNESS_PAGE)
const origin = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
  res.end(page)
})
let worker: StartedWorkerd | undefined

beforeAll(async () => {
  await new Promise<void>((done) => origin.listen(0, '127.0.0.1', done))
  // 10 slots, each with one fixed `html` variant for French readers: the same edits for all.
  const script = join(dir, 'worker.js')
  await buildPageWorker(script, harnessConfig(10))
  const port = (origin.address() as AddressInfo).port
  worker = await startWorkerd('shared rewriter', {
    scriptPath: script,
    ...BENCH_RUNTIME,
    bindings: { ORIGIN: `http://127.0.0.1:${port}` },
  })
}, 60_000)

afterAll(async () => {
  await worker?.mf.dispose()
  origin.close()
  rmSync(dir, { recursive: true, force: true })
})

async function visit(language: string): Promise<{ status: number; edits: number; body: string }> {
  const res = await fetch(new URL('/harness/100k', worker?.url), {
    headers: { 'accept-language': language },
  })
  const body = await res.text()
  return { status: res.status, edits: body.split(EDIT_MARKER).length - 1, body }
}

it('every French page gets all 10 edits, one after another and 12 at once', async () => {
  const one = []
  for (let i = 0; i < 3; i++) {
    one.push((await visit('fr')).edits)
  }
  const many = await Promise.all(Array.from({ length: 12 }, () => visit('fr')))
  expect(one).toEqual([10, 10, 10])
  expect(many.map((v) => `${v.status} ${v.edits}`)).toEqual(Array(12).fill('200 10'))
  // And an English page between them is the origin's, byte for byte.
  expect((await visit('en')).body).toBe(page)
}, 60_000)
