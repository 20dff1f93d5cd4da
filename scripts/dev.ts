// `npm run dev`: wrangler dev for the demo or your origin, without the first-run noise that looks like failure.
// Usage: npm run dev [-- --var ORIGIN:https://www.example.com] [--port 8787] [any wrangler dev flag]
import { spawn } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** Flags `npm run dev` always meant; a flag given on the command line wins. */
const DEFAULTS: [string, string][] = [
  ['--env', 'dev'],
  ['--ip', '127.0.0.1'],
  ['--port', '8787'],
]

/**
 * wrangler dev's arguments: the defaults the caller did not give, then the caller's own.
 * @example devArgs(['--port', '9400']) // ['dev', '--env', 'dev', '--ip', '127.0.0.1', '--port', '9400']
 */
export function devArgs(args: string[]): string[] {
  const given = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`))
  return ['dev', ...DEFAULTS.filter(([flag]) => !given(flag)).flat(), ...args]
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
    ...(hasSecretsFile ? {} : { TAILOR_SECRET: '' }),
    ...env,
  }
}

if (process.argv[1]?.endsWith('dev.ts')) {
  const isOnline = await online()
  if (!isOnline) {
    console.log("tailor/dev: offline, so request.cf is wrangler's stand-in (US, Chicago).")
  }
  const child = spawn(resolve('node_modules/.bin/wrangler'), devArgs(process.argv.slice(2)), {
    env: devEnv(
      process.env,
      isOnline,
      existsSync('.dev.vars') || existsSync('.env')
    ) as NodeJS.ProcessEnv,
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal as NodeJS.Signals))
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
