// A smoke run of `npm run bench` (one pair and the experiments variant, one short round), so the
// benchmark cannot rot unseen.
// It checks that the script runs and reports numbers; it times nothing and judges no target.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { plan } from '../../bench/run'
import { parseArgs } from '../../scripts/bench'

const dir = mkdtempSync(join(tmpdir(), 'tailor-bench-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('runs the benchmark end to end and writes a table of numbers with no errors', () => {
  const out = join(dir, 'RESULTS.md')
  const run = spawnSync(
    process.execPath,
    ['scripts/run-ts.mjs', 'scripts/bench.ts', '--smoke', '--out', out],
    { encoding: 'utf8', timeout: 150_000 }
  )
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
  expect(run.stdout).toMatch(/^bench: .*; 0 errors; 0 failed checks$/m)

  const markdown = readFileSync(out, 'utf8')
  const rows = markdown.split('\n').filter((line) => /^\| (pass-through|Tailor)/.test(line))
  // Pass-through, Tailor, and Tailor with 2 running experiments.
  expect(rows).toHaveLength(3)
  for (const row of rows) {
    const [, , page, rps, p50, p99, errors, cpu, rss] = row.split('|').map((cell) => cell.trim())
    expect(page).toBe('15k')
    for (const value of [rps, p99, cpu, rss]) {
      expect(Number(value), row).toBeGreaterThan(0)
    }
    // A pass-through on loopback can answer in under a millisecond: a median of 0 ms is a number.
    expect(Number(p50), row).toBeGreaterThanOrEqual(0)
    expect(errors).toBe('0')
  }
  expect(markdown).toMatch(/Cookie verify \+ context \+ decision.*: \*\*[\d.]+ µs median/)
  expect(markdown).toMatch(/Worker bundle .*: \*\*[\d.]+ KB gzipped/)
  expect(markdown).toMatch(/2 running experiments.*: \*\*[\d.]+× \(/)
  expect(markdown).toMatch(/Durable Object requests per page view .*: \*\*1 per \d+ \(\d+ requests/)
}, 180_000)

it('runs the same-process A/B (bench/ab.ts) end to end: three arms, CPU per page, no errors', () => {
  const run = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'bench/ab.ts', '--smoke'], {
    encoding: 'utf8',
    timeout: 90_000,
  })
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
  for (const arm of ['pass', 'base', 'work']) {
    expect(run.stdout).toMatch(
      new RegExp(`^  ${arm} +\\d+ pages/s, CPU \\d+\\.\\d{3} ms/page.*, 0 errors$`, 'm')
    )
  }
  expect(run.stdout).toMatch(/^ {2}work − base: -?\d+\.\d{3} ms\/page pooled, .* of 2 rounds$/m)
}, 100_000)

it('names a --base of bench/ab.ts that is not a commit, and stops', () => {
  const run = spawnSync(
    process.execPath,
    ['scripts/run-ts.mjs', 'bench/ab.ts', '--base', 'no-such-rev'],
    {
      encoding: 'utf8',
      timeout: 60_000,
    }
  )
  expect(run.status).not.toBe(0)
  expect(run.stderr).toContain(
    'bench/ab: --base must name a commit of this repository. Got no-such-rev.'
  )
}, 70_000)

it('bounds every number on the command line', () => {
  expect(parseArgs(['--duration', '3', '--rounds', '2'])).toMatchObject({ durationS: 3, rounds: 2 })
  expect(() => parseArgs(['--duration', '999'])).toThrow(
    '--duration must be a whole number from 1 to 30. Got 999.'
  )
  expect(() => parseArgs(['--connections', 'x'])).toThrow('--connections must be a number')
  expect(() => parseArgs(['--bogus'])).toThrow('unknown argument --bogus')
  expect(parseArgs(['--replicas', '2'])).toMatchObject({ replicas: 2 })
  expect(parseArgs([])).toMatchObject({ replicas: 1 })
  expect(() => parseArgs(['--replicas', '9'])).toThrow('--replicas must be a number from 1 to 4')
  expect(parseArgs(['--rounds', '192'])).toMatchObject({ rounds: 192 })
  expect(() => parseArgs(['--rounds', '193'])).toThrow('--rounds must be a number from 1 to 192')
  expect(parseArgs(['--budget', '1800'])).toMatchObject({ budgetS: 1800 })
  expect(() => parseArgs(['--budget', '1801'])).toThrow('--budget must be a number from 10 to 1800')
})

// autocannon runs whole seconds: asked for 0.3 or 0.5 s it ran 1 s (measured with autocannon
// 9.0.0: `duration` 0.3 → 1.01 s, 1.5 → 2 s), so a window the report called 0.5 s was 1 s.
it('takes windows and warm-ups in whole seconds, as the load generator runs them', () => {
  expect(() => parseArgs(['--duration', '0.5'])).toThrow(
    '--duration must be a whole number from 1 to 30. Got 0.5.'
  )
  expect(() => parseArgs(['--warmup', '0.5'])).toThrow(
    '--warmup must be a whole number from 1 to 10. Got 0.5.'
  )
  expect(parseArgs([])).toMatchObject({ durationS: 2, warmupS: 1 })
})

// One round's ratio of a rewritten page to the bare rewriter varies by about 0.2 (standard
// deviation); 96 rounds bring one run's standard error to about 0.02 (bench/README.md, "Ninth look").
it('gives the production set short windows, many rounds and two processes, unless told', () => {
  expect(parseArgs(['--set', 'production'])).toMatchObject({
    durationS: 1,
    rounds: 96,
    replicas: 2,
    budgetS: 900,
  })
  expect(parseArgs(['--set', 'production', '--duration', '2', '--rounds', '8'])).toMatchObject({
    durationS: 2,
    rounds: 8,
    replicas: 2,
  })
  expect(parseArgs(['--replicas', '1', '--budget', '100', '--set', 'production'])).toMatchObject({
    durationS: 1,
    replicas: 1,
    budgetS: 100,
  })
  // Other sets keep the general defaults.
  expect(parseArgs(['--set', 'all'])).toMatchObject({ durationS: 2, rounds: 3, replicas: 1 })
})

it('runs each deploy-bundle row next to its base in every round, the table in its own order', () => {
  const { cases, order } = plan(false, 'production')
  expect(cases.map((c) => c.id)).toEqual([
    'pass harness',
    'rewriter-10 harness',
    'production no secret en',
    'production no secret fr',
    'production secret en',
    'production secret fr',
  ])
  const ids = (order ?? []).map((c) => c.id)
  expect([...ids].sort()).toEqual(cases.map((c) => c.id).sort())
  for (const row of cases.filter((c) => c.id.startsWith('production'))) {
    const base = row.id.endsWith(' en') ? row.pass : row.rewriter
    const distance = Math.abs(ids.indexOf(row.id) - ids.indexOf(base ?? ''))
    expect({ row: row.id, distance }).toEqual({ row: row.id, distance: 1 })
  }
  // The other sets run in the table's order.
  expect(plan(true).order).toBeUndefined()
})
