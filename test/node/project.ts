// A fresh copy of this project (its tracked files, sharing node_modules) and a tiny local origin, for journey tests.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { dirname, join, resolve } from 'node:path'

/**
 * Copy the project's tracked files (as they are in the work tree) into `dir`, like a clean clone,
 * with node_modules linked rather than installed again.
 */
export function copyProject(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    try {
      copyFileSync(file, join(dir, file))
    } catch {
      // a tracked file deleted in the work tree: a clone at this state would not have it either
    }
  }
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir')
}

/** The one-page site of issue 13: a marked heading and a link to the preference centre. */
export const OWN_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example</title></head>' +
  '<body><h1 data-tailor="hero">Hello</h1>' +
  '<footer><a href="/_tailor/">Your personalisation settings</a></footer></body></html>'

/** Serve `page` at every path on 127.0.0.1:`port` (text/html, not cacheable). */
export async function startOrigin(port: number, page = OWN_PAGE): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(page)
  })
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok))
  return server
}
