// `npm run dev`: wrangler dev for the demo or your origin, without the first-run noise that looks like failure.
// Usage: npm run dev [-- --var ORIGIN:https://www.example.com] [--port 8787] [any wrangler dev flag]
import { spawn } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { BOTH_WORKERS } from './wrangler-env'

/** Flags `npm run dev` always meant; a flag given on the command line wins. */
const DEFAULTS: [string, string][] = [
  ['--env', 'dev'],
  ['--ip', '127.0.0.1'],
  ['--port', '8787'],
]

/**
 * wrangler dev's arguments: both workers' configs (page, then console) unless the caller named a
 * config, the defaults the caller did not give, then the caller's own.
 * @example devArgs(['--port', '9400']) // ['dev', '-c', 'wrangler.toml', '-c', 'wrangler.console.toml', '--env', 'dev', '--ip', '127.0.0.1', '--port', '9400']
 */
export function devArgs(args: string[]): string[] {
  const given = (...flags: string[]) =>
    args.some((a) => flags.some((flag) => a === flag || a.startsWith(`${flag}=`)))
  const configs = given('-c', '--config') ? [] : BOTH_WORKERS
  return ['dev', ...configs, ...DEFAULTS.filter(([flag]) => !given(flag)).flat(), ...args]
}

/** Whether Cloudflare's cf-object endpoint resolves (wrangler fetches it on start). */
async function online(): Promise<boolean> {
  const timeout = new Promise<boolean>((ok) => setTimeout(() => ok(false), 1500))
  const found = lookup('workers.cloudflare.com').then(
    () => true,
    () => false
  )
  return Promise.race([found, timeout])
}

/**
 * The environment for wrangler: no banner (its "update available" names versions that need Node
 * 22), no warning that `[secrets]` is experimental (wrangler.toml uses it so a first deploy
 * without TAILOR_SECRET is refused), and offline, no attempt to fetch the cf object (it prints
 * ENOTFOUND stack traces, then uses the placeholder it would use anyway).
 * `hasSecretsFile`: a .dev.vars or .env exists, which wrangler reads secrets from.
 * @example devEnv(process.env, false, false).CLOUDFLARE_CF_FETCH_ENABLED // 'false'
 */
export function devEnv(
  env: Record<string, string | undefined>,
  isOnline: boolean,
  hasSecretsFile: boolean
): Record<string, string | undefined> {
  return {
    WRANGLER_HIDE_BANNER: 'true',
    WRANGLER_DISABLE_EXPERIMENTAL_WARNING: '1',
    ...(isOnline ? {} : { CLOUDFLARE_CF_FETCH_ENABLED: 'false' }),
    // No .dev.vars or .env: an empty TAILOR_SECRET is wrangler's "declared, not missing", and the
    // worker, in dev mode, then signs with its public development key (and says so in one line).
    // An empty TAILOR_ADMIN_TOKEN leaves admin off, as an unset one does.
    ...(hasSecretsFile ? {} : { TAILOR_SECRET: '', TAILOR_ADMIN_TOKEN: '' }),
    ...env,
  }
}

/** wrangler's note on bindings to other dev sessions: both workers run in this one. */
const OTHER_SESSIONS =
  /\n?Service bindings, Durable Object bindings, and Tail consumers connect to other[^\n]*\n/g

/**
 * wrangler dev's output without what looks like failure but is not: with both workers in one
 * `wrangler dev`, the page worker's bindings to the console are listed "[not connected]" before
 * the console has started (it is connected a moment later), with a note about other sessions.
 * @example quietDevOutput('env.TAILOR_CONSOLE (tailor-console-dev)   Worker   local [not connected]') // 'env.TAILOR_CONSOLE (tailor-console-dev)   Worker   local'
 */
export function quietDevOutput(chunk: string): string {
  return chunk.replace(/ \[not connected\]/g, '').replace(OTHER_SESSIONS, '')
}

if (process.argv[1]?.endsWith('dev.ts')) {
  const isOnline = await online()
  if (!isOnline) {
    console.log("tailor/dev: offline, so request.cf is wrangler's stand-in (US, Chicago).")
  }
  const child = spawn(resolve('node_modules/.bin/wrangler'), devArgs(process.argv.slice(2)), {
    env: {
      ...(devEnv(
        process.env,
        isOnline,
        existsSync('.dev.vars') || existsSync('.env')
      ) as NodeJS.ProcessEnv),
      // Colours as in a terminal, though the output now passes through this process.
      ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
    } as NodeJS.ProcessEnv,
    stdio: ['inherit', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d: Buffer) => process.stdout.write(quietDevOutput(d.toString())))
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(quietDevOutput(d.toString())))
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal as NodeJS.Signals))
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
