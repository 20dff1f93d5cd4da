// `npm run config:push`: check the config, then upload it to Workers KV with `wrangler kv key put`.
import { spawn } from 'node:child_process'
import { isAbsolute, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFIG_KEY } from '../src/config'
import { checkConfigFile, exitCode, formatReport } from './check-config'

const USAGE = `usage: npm run config:push -- [config.json] [--local [--persist-to DIR]] [--env NAME]
                           [--binding NAME] [--key KEY] [--wrangler-config PATH] [--strict] [--dry-run]

Checks the config (default ./tailor.config.json) like \`npm run check\` and, if it has no errors,
writes it to Workers KV: wrangler kv key put <key> --binding <binding> --path <file>.

  --binding NAME          the KV binding in wrangler.toml (default TAILOR_CONFIG)
  --key KEY               the key the worker reads (default ${CONFIG_KEY})
  --env NAME              the wrangler environment (default: none; "dev" with --local)
  --local                 write the local KV that \`npm run dev\` reads, not Cloudflare's
  --persist-to DIR        with --local: wrangler's local state directory (default .wrangler/state)
  --wrangler-config PATH  another wrangler config file
  --strict                refuse on warnings too
  --dry-run               check, print the wrangler command, run nothing`

/** What `config:push` was asked to do. */
export type PushArgs = {
  file: string | undefined
  binding: string
  key: string
  env: string | undefined
  local: boolean
  persistTo: string | undefined
  wranglerConfig: string | undefined
  strict: boolean
  dryRun: boolean
  help: boolean
}

/** Parse the command line; throws an Error whose message says what is wrong. */
export function parsePushArgs(argv: string[]): PushArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      binding: { type: 'string', default: 'TAILOR_CONFIG' },
      key: { type: 'string', default: CONFIG_KEY },
      env: { type: 'string' },
      local: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
      'wrangler-config': { type: 'string' },
      strict: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (positionals.length > 1) {
    throw new Error(
      `Expected one config file. Got ${positionals.length}: ${positionals.join(' ')}.`
    )
  }
  if (values['persist-to'] !== undefined && !values.local) {
    throw new Error('Expected --persist-to only with --local.')
  }
  return {
    file: positionals[0],
    binding: values.binding,
    key: values.key,
    // `npm run dev` is `wrangler dev --env dev`: its local KV binding lives in [env.dev].
    env: values.env ?? (values.local ? 'dev' : undefined),
    local: values.local,
    persistTo: values['persist-to'],
    wranglerConfig: values['wrangler-config'],
    strict: values.strict,
    dryRun: values['dry-run'],
    help: values.help,
  }
}

/** A path as wrangler (run from `root`) should get it: relative when inside the project. */
function forWrangler(root: string, path: string): string {
  const rel = relative(root, path)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/**
 * The wrangler command line for an upload. Without --local it says --remote: wrangler 4's KV
 * commands default to local storage.
 * @example wranglerArgs(args, 'tailor.config.json') // ['kv', 'key', 'put', 'config', '--binding', 'TAILOR_CONFIG', '--path', 'tailor.config.json', '--remote']
 */
export function wranglerArgs(args: PushArgs, path: string, persistTo?: string, config?: string) {
  return [
    ...['kv', 'key', 'put', args.key, '--binding', args.binding, '--path', path],
    ...(args.env === undefined ? [] : ['--env', args.env]),
    args.local ? '--local' : '--remote',
    ...(persistTo === undefined ? [] : ['--persist-to', persistTo]),
    ...(config === undefined ? [] : ['--config', config]),
  ]
}

/** Quote for a POSIX shell only where needed, so the printed command can be pasted. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

async function main(argv: string[]): Promise<number> {
  let args: PushArgs
  try {
    args = parsePushArgs(argv)
  } catch (err) {
    console.error(`config:push: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    console.log(USAGE)
    return 0
  }
  const root = process.cwd()
  // Under `npm run`, paths the user typed are relative to the shell's directory (INIT_CWD).
  const shell = process.env.INIT_CWD ?? root
  const file = args.file ?? 'tailor.config.json'
  const base = args.file === undefined ? root : shell
  const report = await checkConfigFile({ file, base, root })
  console.log(formatReport(report).join('\n'))
  if (exitCode(report, args.strict) !== 0) {
    console.error(
      `config:push: not uploaded: fix the ${args.strict ? 'problems' : 'errors'} above first.`
    )
    return 1
  }
  const bin = 'node_modules/.bin/wrangler'
  const wrangler = wranglerArgs(
    args,
    forWrangler(root, resolve(base, file)),
    args.persistTo === undefined ? undefined : forWrangler(root, resolve(shell, args.persistTo)),
    args.wranglerConfig === undefined
      ? undefined
      : forWrangler(root, resolve(shell, args.wranglerConfig))
  )
  console.log(`$ ${[bin, ...wrangler].map(shellQuote).join(' ')}`)
  if (args.dryRun) {
    console.log('dry run: nothing uploaded')
    return 0
  }
  return new Promise((done) => {
    const child = spawn(resolve(root, bin), wrangler, { cwd: root, stdio: 'inherit' })
    child.once('error', (err) => {
      console.error(`config:push: could not run wrangler (${err.message})`)
      done(1)
    })
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

if (process.argv[1]?.endsWith('config-push.ts')) {
  process.exitCode = await main(process.argv.slice(2))
}
