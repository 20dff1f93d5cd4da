// The report as CSV and JSON: the same suppressed numbers the page shows.
import type { ExperimentReport, Shown } from './model'

const COLUMNS = [
  'experiment',
  'phase',
  'goal',
  'primary',
  'arm',
  'label',
  'units',
  'exposures',
  'conversions',
  'rate',
  'rate_low',
  'rate_high',
  'uplift',
  'uplift_low',
  'uplift_high',
  'chance_to_beat_control',
  'p_value',
  'left',
] as const

/** One CSV field (RFC 4180), with a leading = + - @ defused so a spreadsheet never runs it. */
function field(value: Shown | boolean): string {
  if (value === null) {
    return ''
  }
  const text = typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : String(value)
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value !== 'number' ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * One line per goal and arm. Rates and uplifts are fractions (0.052 is 5.2%); a small cell reads
 * "< 10" in every number it has.
 * @example experimentCsv(report).split('\r\n')[0] // 'experiment,phase,goal,…'
 */
export function experimentCsv(report: ExperimentReport): string {
  const lines = [COLUMNS.join(',')]
  for (const g of report.goals) {
    for (const a of g.arms) {
      lines.push(
        [
          report.id,
          report.phase,
          g.id,
          g.primary,
          a.id,
          a.label,
          a.units,
          a.exposures,
          a.conversions,
          a.rate,
          a.low,
          a.high,
          a.uplift,
          a.upliftLow,
          a.upliftHigh,
          a.chance,
          a.pValue,
          a.left,
        ]
          .map(field)
          .join(',')
      )
    }
  }
  return `${lines.join('\r\n')}\r\n`
}
