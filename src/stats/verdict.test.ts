// The plain-words verdict's rules, table by table, and small-count suppression.
import { describe, expect, it } from 'vitest'
import type { VerdictArm, VerdictInput } from '.'
import { formatChance, formatCount, formatP, isSuppressed, suppressSmall, verdict } from '.'

const control = (units: number): VerdictArm => ({ label: 'Control', units, chanceToBeat: null })
const variant = (label: string, units: number, chanceToBeat: number | null): VerdictArm => ({
  label,
  units,
  chanceToBeat,
})

describe('verdict', () => {
  it.each<[string, VerdictInput, string, string]>([
    [
      'a leader before the minimum',
      { arms: [control(600), variant('Gravel story', 610, 0.963)] },
      'leading',
      'Gravel story leads: 96% chance to beat control; keep running until 1,000 units per arm.',
    ],
    [
      'a winner with enough units',
      { arms: [control(1000), variant('Gravel story', 1200, 0.971)] },
      'winner',
      'Gravel story wins: 97% chance to beat control.',
    ],
    [
      'exactly at the 95% threshold',
      { arms: [control(2000), variant('B', 2000, 0.95)] },
      'winner',
      'B wins: 95% chance to beat control.',
    ],
    [
      'just under 95% is not called (and shows 94%, not a rounded 95%)',
      { arms: [control(2000), variant('B', 2000, 0.9499)] },
      'inconclusive',
      'No clear winner: B has 94% chance to beat control, short of 95%.',
    ],
    [
      'the best of several variants leads',
      {
        arms: [
          control(300),
          variant('B', 300, 0.4),
          variant('C', 300, 0.97),
          variant('D', 300, 0.9),
        ],
      },
      'leading',
      'C leads: 97% chance to beat control; keep running until 1,000 units per arm.',
    ],
    [
      'control wins when every variant is at or below 5%',
      { arms: [control(5000), variant('B', 5000, 0.03), variant('C', 5000, 0.05)] },
      'control-wins',
      'Control wins: the best variant, C, has 5% chance to beat control.',
    ],
    [
      'control leads with one variant before the minimum',
      { arms: [control(200), variant('B', 200, 0.004)] },
      'control-leading',
      'Control leads: B has <1% chance to beat control; keep running until 1,000 units per arm.',
    ],
    [
      'too early to call',
      { arms: [control(150), variant('B', 160, 0.71)] },
      'keep-running',
      'Too early to call: B has 71% chance to beat control; keep running until 1,000 units per arm.',
    ],
    [
      'a near-certain winner never reads 100%',
      { arms: [control(50_000), variant('B', 50_000, 0.9999999)] },
      'winner',
      'B wins: >99% chance to beat control.',
    ],
    [
      'an SRM alert overrides a winner',
      {
        arms: [control(5000), variant('B', 5400, 0.999)],
        srm: { alert: true, pValue: 0.00042 },
      },
      'srm',
      'Check the split first: units per arm do not match the weights (sample-ratio mismatch, p = 0.0004).',
    ],
    [
      'an SRM check without an alert changes nothing',
      { arms: [control(1000), variant('B', 1000, 0.98)], srm: { alert: false, pValue: 0.3 } },
      'winner',
      'B wins: 98% chance to beat control.',
    ],
    [
      'an empty arm means no result',
      { arms: [control(0), variant('B', 100, null)] },
      'no-data',
      'No result yet: every arm needs units.',
    ],
    [
      'one arm only',
      { arms: [control(100)] },
      'no-data',
      'Nothing to compare: an experiment needs a control and a variant.',
    ],
    [
      'control in another position, empty labels numbered',
      {
        arms: [variant('', 1500, 0.96), { label: 'Old hero', units: 1500, chanceToBeat: null }],
        controlIndex: 1,
      },
      'winner',
      'Arm 1 wins: 96% chance to beat control.',
    ],
  ])('%s', (_, input, status, text) => {
    const result = verdict(input)
    expect(result.status).toBe(status)
    expect(result.text).toBe(text)
  })

  it('names the arm it is about', () => {
    expect(
      verdict({ arms: [control(600), variant('B', 600, 0.2), variant('C', 600, 0.96)] }).arm
    ).toBe(2)
    expect(verdict({ arms: [control(6000), variant('B', 6000, 0.01)] }).arm).toBe(0)
    expect(verdict({ arms: [control(0), variant('B', 0, null)] }).arm).toBeNull()
  })

  it('takes its thresholds and minimum from the options', () => {
    const input = { arms: [control(400), variant('B', 400, 0.91)] }
    expect(verdict(input, { win: 0.9, minUnitsPerArm: 300 }).text).toBe(
      'B wins: 91% chance to beat control.'
    )
    expect(verdict(input, { minUnitsPerArm: 2500 }).text).toBe(
      'Too early to call: B has 91% chance to beat control; keep running until 2,500 units per arm.'
    )
  })
})

describe('formatting', () => {
  it.each([
    [0, '<1%'],
    [0.0099, '<1%'],
    [0.01, '1%'],
    [0.5, '50%'],
    [0.95, '95%'],
    [0.9649, '96%'],
    [0.99, '99%'],
    [0.990001, '>99%'],
    [1, '>99%'],
    [NaN, '<1%'],
  ])('formatChance(%d) = %s', (p, text) => {
    expect(formatChance(p)).toBe(text)
  })

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-5, '0'],
  ])('formatCount(%d) = %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })

  it.each([
    [0.5, 'p = 0.50'],
    [0.012, 'p = 0.01'],
    [0.0031, 'p = 0.003'],
    [0.00005, 'p < 0.0001'],
    [0, 'p < 0.0001'],
    [Infinity, 'p = 1.00'],
  ])('formatP(%d) = %s', (p, text) => {
    expect(formatP(p)).toBe(text)
  })
})

describe('small-count suppression', () => {
  it.each([
    [0, 10, true],
    [9, 10, true],
    [10, 10, false],
    [4, 5, true],
    [5, 5, false],
    [0, 0, false],
    [3, NaN, true],
    [12, NaN, false],
  ])('%d units with minCount %d: suppressed %s', (units, minCount, suppressed) => {
    expect(isSuppressed(units, minCount)).toBe(suppressed)
  })

  it('replaces every number of a small cell with the marker, and leaves a big cell alone', () => {
    expect(suppressSmall(3, 7)).toBe('< 10')
    expect(suppressSmall(0.43, 7)).toBe('< 10')
    expect(suppressSmall(3, 7, 5)).toBe(3)
    expect(suppressSmall(0.052, 1200)).toBe(0.052)
    expect(suppressSmall(2, 19, 20)).toBe('< 20')
  })
})
