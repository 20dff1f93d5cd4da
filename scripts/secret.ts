// `npm run secret -- NAME`: put one secret into both workers (the page worker and the console),
// which must hold the same TAILOR_SECRET and TAILOR_ADMIN_TOKEN. Usage: npm run secret -- NAME [--env E]
import { spawnSync } from 'node:child_process'
import { text } from 'node:stream/consumers'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { WORKER_CONFIGS } from './wrangler-env'

/** The secrets the workers read (src/env.ts). */
const NAMES = ['TAILOR_SECRET', 'TAILOR_ADMIN_TOKEN']

/**
 * The `wrangler secret put` calls, one per worker config, for a name and the extra flags.
 * @example putCommands('TAILOR_SECRET', [])[1] // ['secret', 'put', 'TAILOR_SECRET', '-c', 'wrangler.console.toml']
 */
export function putCommands(name: string, extra: readonly string[]): string[][] {
  return WORKER_CONFIGS.map((file) => ['secret', 'put', name, '-c', file, ...extra])
}

/** The value: typed without echo on a terminal, else read from stdin (`printf '%s' "$V" | …`). */
async function readValue(): Promise<string> {
  if (!process.stdin.isTTY) {
    return (await text(process.stdin)).replace(/\r?\n$/, '')
  }
  return new Promise((done) => {
    process.stdout.write('Value (not shown): ')
    const rl = createInterface({ input: process.stdin, terminal: true })
    // Print nothing of what is typed.
    ;(rl as unknown as { _writeToOutput: () => void })._writeToOutput = () => {}
    rl.once('line', (line) => {
      rl.close()
      process.stdout.write('\n')
      done(line)
    })
  })
}

if (process.argv[1]?.endsWith('secret.ts')) {
  const [name, ...extra] = process.argv.slice(2)
  if (!name || !NAMES.includes(name)) {
    console.error(`secret: Expected one of ${NAMES.join(', ')}. Got ${name ?? 'nothing'}.`)
    process.exit(2)
  }
  const value = await readValue()
  if (!value) {
    console.error('secret: Expected a value. Got an empty one; nothing was changed.')
    process.exit(2)
  }
  for (const args of putCommands(name, extra)) {
    console.log(`$ wrangler ${args.join(' ')}`)
    const run = spawnSync(resolve('node_modules/.bin/wrangler'), args, {
      input: value,
      stdio: ['pipe', 'inherit', 'inherit'],
    })
    if (run.status !== 0) {
      process.exit(run.status ?? 1)
    }
  }
}
