// The terminal report: the same suppressed numbers as the page, and exit code 1 on an SRM alert.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExportEntry } from './report'
import { devToken, exitCodeOf, formatReport } from './report'

const arm = (label: string, over: Record<string, unknown> = {}) => ({
  label,
  units: 1200,
  exposures: 2500,
  conversions: 60,
  rate: 0.05,
  low: 0.039,
  high: 0.064,
  uplift: null,
  chance: null,
  left: '< 10',
  ...over,
})

const entry = (alert: boolean): ExportEntry => ({
  id: 'hero',
  label: 'Hero story',
  status: 'running',
  phase: 1,
  report: {
    verdict: {
      status: alert ? 'srm' : 'leading',
      text: alert ? 'Check the split first.' : 'B leads.',
    },
    srm: { alert, pValue: 0.00002 },
    goals: [
      {
        label: 'Opened the story',
        primary: true,
        arms: [
          arm('A'),
          arm('B', {
            units: '< 10',
            rate: '< 10',
            low: '< 10',
            high: '< 10',
            uplift: 0.123,
            chance: 0.965,
          }),
        ],
      },
    ],
  },
})

describe('npm run report', () => {
  it('prints the primary goal table with suppressed cells, the verdict and the SRM line', () => {
    const text = formatReport([entry(true)])
    expect(text).toContain('Hero story  [hero, phase 1, running]')
    expect(text).toMatch(/ {2}A +1,200 +2,500 +60 +5\.00% +3\.90%–6\.40% +< 10/)
    expect(text).toMatch(/ {2}B +< 10 .* +< 10 +\+12\.3% +96% +< 10/)
    expect(text).toContain('SRM ALERT: units per arm do not match the weights (p = 2.0e-5).')
    expect(text).toContain('Check the split first.')
  })

  it('exits 1 when an SRM alert fires, else 0', () => {
    expect(exitCodeOf([entry(false), entry(true)])).toBe(1)
    expect(exitCodeOf([entry(false)])).toBe(0)
  })

  it('takes the token from .dev.vars', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailor-report-'))
    const file = join(dir, '.dev.vars')
    writeFileSync(file, 'TAILOR_SECRET="k1:x"\nTAILOR_ADMIN_TOKEN="abc-0123456789abcdef"\n')
    const saved = process.env.TAILOR_ADMIN_TOKEN
    delete process.env.TAILOR_ADMIN_TOKEN
    expect(devToken(file)).toBe('abc-0123456789abcdef')
    if (saved !== undefined) {
      process.env.TAILOR_ADMIN_TOKEN = saved
    }
  })
})
