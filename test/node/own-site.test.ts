// docs/own-site.md, run: every command in it, against a local site standing in for www.example.com.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OFFLINE_WRANGLER_ENV } from '../../scripts/wrangler-env'
import { copyProject, startOrigin } from './project'

/** Ports from this suite's range (9400-9449): the stand-in site, `npm run dev`, its inspector. */
const SITE_PORT = 9430
const DEV_PORT = 9431
const INSPECTOR_PORT = 9432
const SITE = `http://127.0.0.1:${SITE_PORT}`

const DOC = readFileSync('docs/own-site.md', 'utf8')

/** The fenced blocks of a language, in order. */
function fences(lang: string): string[] {
  return [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(
    (m) => m[1] ?? ''
  )
}

/** Every shell command of the page, in order (one per line; `#` lines are comments). */
const COMMANDS = fences('sh')
  .flatMap((block) => block.split('\n'))
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))

/** The page's addresses, pointed at the test's site and ports. */
function local(command: string): string {
  return command
    .replaceAll('https://www.example.com', SITE)
    .replaceAll('127.0.0.1:8787', `127.0.0.1:${DEV_PORT}`)
}

type Run = { code: number | null; out: string }

function sh(command: string, cwd: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...process.env, ...OFFLINE_WRANGLER_ENV, INIT_CWD: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code) => done({ code, out }))
  })
}

describe('docs/own-site.md, command by command', () => {
  let dir: string
  let site: Server
  let dev: ChildProcess | undefined
  let devLog = ''
  const ran: string[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tailor-own-site-'))
    copyProject(dir)
    site = await startOrigin(SITE_PORT)
  })

  afterAll(async () => {
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev?.once('exit', r))
      process.kill(-(dev.pid ?? 0), 'SIGTERM')
      await exited
    }
    await new Promise((r) => site?.close(r))
    await rm(dir, { recursive: true, force: true })
  })

  /** What each command must do; a command the page adds without a runner here fails the test. */
  const RUNNERS: [RegExp, (command: string) => Promise<void>][] = [
    [
      /^npm run init /,
      async (command) => {
        const run = await sh(local(command), dir)
        expect(run.code, run.out).toBe(0)
        expect(run.out).toContain(`init: wrote tailor.config.json for ${SITE}`)
        // Step 3: the page's variant replaces the example's variant of the same id.
        const variant = JSON.parse(fences('json')[0] ?? '') as { id: string }
        const file = join(dir, 'tailor.config.json')
        const config = JSON.parse(readFileSync(file, 'utf8')) as {
          slots: { hero: { variants: { id: string }[] } }
        }
        const at = config.slots.hero.variants.findIndex((v) => v.id === variant.id)
        expect(at).toBeGreaterThanOrEqual(0)
        config.slots.hero.variants[at] = variant
        writeFileSync(file, JSON.stringify(config, null, 2))
      },
    ],
    [
      /^npm run check -- --against /,
      async (command) => {
        const run = await sh(local(command), dir)
        expect(run.code, run.out).toBe(0)
        expect(run.out).toMatch(/hero\s+\[data-tailor="hero"\]\s+1 match/)
      },
    ],
    [
      /^npm run dev /,
      async (command) => {
        const args = `${local(command)} --port ${DEV_PORT} --inspector-port ${INSPECTOR_PORT}`
        dev = spawn('bash', ['-c', args], {
          cwd: dir,
          env: { ...process.env, ...OFFLINE_WRANGLER_ENV, INIT_CWD: undefined },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
        dev.stdout?.on('data', (d: Buffer) => (devLog += d.toString()))
        dev.stderr?.on('data', (d: Buffer) => (devLog += d.toString()))
        let status = 0
        for (let i = 0; i < 240 && status !== 200; i++) {
          await new Promise((r) => setTimeout(r, 250))
          status = await fetch(`http://127.0.0.1:${DEV_PORT}/_tailor/health`).then(
            (r) => r.status,
            () => 0
          )
        }
        expect(status, devLog).toBe(200)
      },
    ],
    [
      /^curl -s -H 'Accept-Language: fr'/,
      async (command) => {
        const run = await sh(local(command), dir)
        expect(run.code, run.out).toBe(0)
        expect(run.out).toContain('<h1 data-tailor="hero">Your heading in fr</h1>')
      },
    ],
    [
      /^curl -s http:\/\/127\.0\.0\.1:8787\/_tailor\/health$/,
      async (command) => {
        const run = await sh(local(command), dir)
        expect(run.code).toBe(0)
        // The config is the site's own now: no demo warning, no missing-secret warning (dev key).
        expect(JSON.parse(run.out)).toMatchObject({ ok: true, config: { source: 'bundled' } })
        expect(JSON.parse(run.out)).not.toHaveProperty('warnings')
      },
    ],
    [
      /^openssl rand -base64 32$/,
      async (command) => {
        const run = await sh(command, dir)
        expect(run.code).toBe(0)
        expect(run.out.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/)
      },
    ],
    [
      // Needs a Cloudflare account: the test checks this wrangler has the command it runs for
      // each worker, and that the script refuses an empty value before calling it.
      /^npm run secret -- TAILOR_SECRET$/,
      async (command) => {
        const help = await sh('npx wrangler secret put --help', dir)
        expect(help.code, help.out).toBe(0)
        expect(help.out).toContain('wrangler secret put <key>')
        const run = await sh(`${command} < /dev/null`, dir)
        expect(run.code, run.out).toBe(2)
        expect(run.out).toContain('Expected a value. Got an empty one; nothing was changed.')
      },
    ],
    [
      /^npx wrangler deploy --dry-run /,
      async (command) => {
        const run = await sh(command, dir)
        expect(run.code, run.out).toBe(0)
        expect(run.out).toContain('--dry-run: exiting now.')
      },
    ],
    [
      // Uploads: the test checks what it runs (the dry run above bundled the same worker).
      /^npm run deploy$/,
      async () => {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>
        }
        expect(pkg.scripts.deploy).toBe(
          'npm run check && npm test && wrangler deploy -c wrangler.console.toml && wrangler deploy'
        )
      },
    ],
  ]

  it('has the commands the page promises, in order', () => {
    expect(COMMANDS.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'npm run init',
      'npm run check',
      'npm run dev',
      'curl -s -H',
      'curl -s http://127.0.0.1:8787/_tailor/health',
      'openssl rand -base64',
      'npm run secret',
      'npx wrangler deploy',
      'npm run deploy',
    ])
  })

  it('runs every command of the page', async () => {
    for (const command of COMMANDS) {
      const runner = RUNNERS.find(([pattern]) => pattern.test(command))
      expect(runner, `no runner for: ${command}`).toBeDefined()
      await runner?.[1](command)
      ran.push(command)
    }
    expect(ran).toEqual(COMMANDS)
  }, 240_000)

  it('shows the HTML the page tells you to add, and the centre it links to answers', async () => {
    const [block, link] = fences('html')
    expect(block?.trim()).toBe('<h1 data-tailor="hero">Hello</h1>')
    expect(link?.trim()).toBe('<a href="/_tailor/">Your personalisation settings</a>')
    const centre = await fetch(`http://127.0.0.1:${DEV_PORT}/_tailor/`)
    expect(centre.status).toBe(200)
    expect(await centre.text()).toContain('Example')
  })
})
