// `npm run check`: validate tailor.config.json as the worker will, lint it, and match it against a page.
import { parseArgs } from 'node:util'
import { checkConfigFile, exitCode, formatReport, isUrl, reportJson } from './check-config'

const USAGE = `usage: npm run check -- [config.json] [--against URL_OR_FILE] [--strict] [--json]

Checks the config (default ./tailor.config.json) as the worker validates it, in workerd:
schema, conditions, segments, preferences, {{…}} fields and HTMLRewriter selectors; then
variants that are never chosen (errors) and risky or thin config (warnings), such as
content changes on elements whose end tag is optional (p, li, td…: docs/selectors.md), or
experiment arms without a link for their click goal (docs/experiments.md).

  --against URL_OR_FILE  also match each slot's selector against a page (http/https URL or
                         file) with HTMLRewriter, look for its <template> variants, name
                         slot elements the page leaves open (parsed as a browser does), and
                         find tested blocks an arm shows without a link to click
  --strict               exit 1 on warnings too
  --json                 print the report as JSON

Exit code: 0 OK (warnings allowed), 1 errors (or warnings with --strict), 2 bad arguments.`

/**
 * Parse the command line; throws an Error whose message says what is wrong.
 * @example parseCheckArgs(['site.json', '--against', 'https://www.example.com/']).against // 'https://www.example.com/'
 */
export function parseCheckArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      against: { type: 'string' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (positionals.length > 1) {
    throw new Error(
      `Expected one config file. Got ${positionals.length}: ${positionals.join(' ')}.`
    )
  }
  const against = values.against
  if (against !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(against) && !isUrl(against)) {
    throw new Error(`Expected --against to be an http(s) URL or a file. Got ${against}.`)
  }
  return {
    file: positionals[0],
    against,
    strict: values.strict,
    json: values.json,
    help: values.help,
  }
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseCheckArgs>
  try {
    args = parseCheckArgs(argv)
  } catch (err) {
    console.error(`check: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    console.log(USAGE)
    return 0
  }
  const root = process.cwd()
  const report = await checkConfigFile({
    file: args.file ?? 'tailor.config.json',
    // Under `npm run`, the shell's directory is INIT_CWD; the default file is the project's own.
    base: args.file === undefined ? root : (process.env.INIT_CWD ?? root),
    root,
    against: args.against,
  })
  if (args.json) {
    console.log(JSON.stringify(reportJson(report, args.strict), null, 2))
  } else {
    console.log(formatReport(report).join('\n'))
  }
  return exitCode(report, args.strict)
}

if (process.argv[1]?.endsWith('check.ts')) {
  process.exitCode = await main(process.argv.slice(2))
}
