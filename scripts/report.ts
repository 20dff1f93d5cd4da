// `npm run report`: the experiments report in the terminal, read from a running worker's JSON export.
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const USAGE = `usage: npm run report -- [--url URL] [--token TOKEN] [--experiment ID] [--json]

Prints each experiment's arms (units, exposures, conversions, rate ± interval, uplift, chance to
beat control, left), its verdict and any sample-ratio mismatch, from
GET <url>/_tailor/admin/experiments.json. Exits 1 when an SRM alert fires (for CI), 2 when the
report cannot be read.

  --url URL        the worker (default http://127.0.0.1:8787, where \`npm run dev\` listens)
  --token TOKEN    the admin token (default: TAILOR_ADMIN_TOKEN from the environment or .dev.vars)
  --experiment ID  only this experiment
  --json           print the export as it came`

type Shown = number | string | null
type Arm = {
  label: string
  units: Shown
  exposures: Shown
  conversions: Shown
  rate: Shown
  low: Shown
  high: Shown
  uplift: Shown
  chance: Shown
  left: Shown
}
/** One entry of /_tailor/admin/experiments.json, as far as the terminal report reads it. */
export type ExportEntry = {
  id: string
  label: string
  status: string
  phase: number
  error?: string
  report?: {
    verdict: { status: string; text: string }
    srm: { alert: boolean; pValue: number }
    goals: { label: string; primary: boolean; arms: Arm[] }[]
  }
}

const pct = (x: Shown, digits = 2) =>
  typeof x === 'number' ? `${(x * 100).toFixed(digits)}%` : (x ?? '–')
const signed = (x: Shown) =>
  typeof x === 'number' ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : (x ?? '')
const count = (x: Shown) => (typeof x === 'number' ? x.toLocaleString('en-GB') : (x ?? '–'))
const chance = (x: Shown) =>
  typeof x === 'number'
    ? x > 0.99
      ? '>99%'
      : x < 0.01
        ? '<1%'
        : `${Math.floor(x * 100)}%`
    : (x ?? '')

/** A plain text table: columns padded, numbers right-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')
    )
    .join('\n')
}

/**
 * The terminal report of the export's entries: per experiment its primary goal's table, the
 * verdict, and the SRM line when it fires. Numbers read as the page shows them.
 */
export function formatReport(entries: ExportEntry[]): string {
  const out: string[] = []
  for (const e of entries) {
    out.push(`${e.label}  [${e.id}, phase ${e.phase}, ${e.status}]`)
    if (e.error) {
      out.push(`  ! ${e.error}`)
    }
    const r = e.report
    const goal = r?.goals.find((g) => g.primary) ?? r?.goals[0]
    if (r && goal) {
      const rows = [
        [
          'arm',
          'units',
          'exposures',
          'conversions',
          'rate',
          '95% interval',
          'uplift',
          'chance',
          'left',
        ],
      ]
      for (const a of goal.arms) {
        rows.push([
          a.label,
          count(a.units),
          count(a.exposures),
          count(a.conversions),
          pct(a.rate),
          typeof a.low === 'number' ? `${pct(a.low)}–${pct(a.high)}` : '',
          signed(a.uplift),
          chance(a.chance),
          count(a.left),
        ])
      }
      out.push(`  goal: ${goal.label}`)
      out.push(table(rows).replace(/^/gm, '  '))
      if (r.srm.alert) {
        out.push(
          `  SRM ALERT: units per arm do not match the weights (p = ${r.srm.pValue.toExponential(1)}).`
        )
      }
      out.push(`  ${r.verdict.text}`)
    }
    out.push('')
  }
  return out.join('\n')
}

/** 1 when any entry's SRM alert fires, else 0. */
export const exitCodeOf = (entries: ExportEntry[]): number =>
  entries.some((e) => e.report?.srm.alert) ? 1 : 0

/** TAILOR_ADMIN_TOKEN from the environment, else from .dev.vars (the file `npm run dev` reads). */
export function devToken(file = '.dev.vars'): string | undefined {
  if (process.env.TAILOR_ADMIN_TOKEN) {
    return process.env.TAILOR_ADMIN_TOKEN
  }
  if (!existsSync(file)) {
    return undefined
  }
  const line = /^\s*TAILOR_ADMIN_TOKEN\s*=\s*"?([^"\n]*)"?\s*$/m.exec(readFileSync(file, 'utf8'))
  return line?.[1]
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      token: { type: 'string' },
      experiment: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const token = values.token ?? devToken()
  if (!token) {
    console.error('report: no admin token. Pass --token, or set TAILOR_ADMIN_TOKEN in .dev.vars.')
    return 2
  }
  const url = new URL('/_tailor/admin/experiments.json', values.url)
  let entries: ExportEntry[]
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    if (!res.ok) {
      console.error(
        `report: ${url.href} answered ${res.status}: ${(await res.text()).slice(0, 300)}`
      )
      return 2
    }
    const body = (await res.json()) as { experiments: ExportEntry[] } | ExportEntry[]
    entries = Array.isArray(body) ? body : body.experiments
  } catch (err) {
    console.error(
      `report: cannot read ${url.href} (${(err as Error).message}). Is \`npm run dev\` running?`
    )
    return 2
  }
  if (values.experiment) {
    entries = entries.filter((e) => e.id === values.experiment)
  }
  console.log(values.json ? JSON.stringify(entries, null, 2) : formatReport(entries))
  return exitCodeOf(entries)
}

// run-ts.mjs sets argv[1] to the script's path; a test importing this file runs nothing.
if (process.argv[1]?.endsWith('scripts/report.ts')) {
  process.exitCode = await main(process.argv.slice(2))
}
