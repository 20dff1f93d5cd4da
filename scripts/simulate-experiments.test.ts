// The simulator: bounded and loopback-only, reads arms from its own tokens, and drives the real worker.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPing } from '../src/experiments'
import { loadKeyring, signToken } from '../src/visitor'
import type { ExportEntry } from './report'
import {
  assignedArm,
  localConfig,
  parseSimulateArgs,
  readPingLink,
  simulate,
  skewedConfig,
} from './simulate-experiments'
import type { DevServer } from '../test/node/wrangler'
import { startDev } from '../test/node/wrangler'

describe('experiments:simulate arguments', () => {
  it('refuses anything but loopback, and bounds the run', () => {
    expect(() => parseSimulateArgs(['--url', 'https://example.com'])).toThrow(
      'Expected a loopback --url (127.0.0.1, ::1, localhost). Got "example.com".'
    )
    expect(() => parseSimulateArgs(['--visitors', '100000'])).toThrow(
      'Expected --visitors between 1 and 5000. Got "100000".'
    )
    expect(() => parseSimulateArgs(['--seconds', '0'])).toThrow(
      'Expected --seconds between 1 and 600.'
    )
    expect(() => parseSimulateArgs(['--skew', 'abort'])).toThrow(
      'Expected --skew weights or none. Got "abort".'
    )
    expect(parseSimulateArgs([])).toMatchObject({
      visitors: 600,
      seconds: 120,
      seed: 1,
      skew: 'weights',
      persistTo: undefined,
    })
    expect(parseSimulateArgs(['--skew', 'none', '--persist-to', 'state'])).toMatchObject({
      skew: 'none',
      persistTo: 'state',
    })
  })

  it("skews only picks-order's second arm, phase unchanged, on a copy", () => {
    const config = JSON.parse(readFileSync('tailor.config.json', 'utf8')) as {
      experiments: { id: string; phase?: number; arms: { weight: number }[] }[]
    }
    const before = JSON.stringify(config)
    const skewed = skewedConfig(config) as typeof config
    expect(JSON.stringify(config)).toBe(before)
    const picks = (c: typeof config) => c.experiments.find((e) => e.id === 'picks-order')
    expect(picks(skewed)?.arms.map((a) => a.weight)).toEqual([1, 4])
    expect(picks(skewed)?.phase).toBe(picks(config)?.phase)
    // Nothing else changes.
    const reset = structuredClone(skewed)
    ;(picks(reset)?.arms[1] as { weight: number }).weight = 1
    expect(JSON.stringify(reset)).toBe(before)
    expect(skewedConfig({ version: 1, experiments: [] })).toBeUndefined()
  })

  it('reads the arm from a ping link and from its own cookie', async () => {
    const keys = await loadKeyring('k1:simulator-test-secret-0123456789')
    if (!keys.ok) {
      throw new Error(keys.message)
    }
    const token = await signPing(
      { experiment: 'offer-box', phase: 1, arm: 2, goal: 0 },
      keys.keyring,
      Date.now()
    )
    expect(readPingLink(`http://127.0.0.1:8787/_tailor/ping/${token}`)).toEqual({
      experiment: 'offer-box',
      arm: 2,
    })
    expect(readPingLink('/not-a-ping')).toBeUndefined()
    const cookie = await signToken(
      { experiments: { 'picks-order': [1, 1, 1] } },
      { purpose: 'visitor', keyring: keys.keyring, now: Date.now(), ttlSeconds: 60 }
    )
    expect(assignedArm(`other=1; __Host-tailor=${cookie}`, 'picks-order')).toBe(1)
    expect(assignedArm(`__Host-tailor=${cookie}`, 'hero-cyclists')).toBeUndefined()
  })
})

// Against `wrangler dev` (the demo config): counts grow through the real request path, and the
// simulator's weight change (in the local hot config of that same wrangler dev) shows as an SRM.
describe('experiments:simulate through the real worker', () => {
  const TOKEN = 'simulate-admin-token-0123456789'
  let dev: DevServer
  let state: string

  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'tailor-sim-'))
    // Both workers, as `npm run dev` runs them; the admin token reaches both through the environment.
    dev = await startDev(['--persist-to', state], 90_000, { TAILOR_ADMIN_TOKEN: TOKEN })
  })

  afterAll(async () => {
    await dev?.stop()
    rmSync(state, { recursive: true, force: true })
  })

  it('fills the store through the real request path; the weight change raises the SRM alert', async () => {
    const base = dev.url
    const health = async () =>
      ((await (await fetch(`${base}/_tailor/health`)).json()) as { config: object }).config
    const before = await health()
    const lines: string[] = []
    const run = await simulate(
      {
        url: new URL(base),
        visitors: 600,
        seconds: 200,
        seed: 3,
        skew: 'weights',
        persistTo: state,
      },
      (line) => lines.push(line)
    )
    expect(run.visitors).toBe(600)
    expect(run.skewed).toBe(400)
    expect(lines).toContain('picks-order: arm 1 now weighs 4× more, same phase')
    expect(lines).toContain('picks-order: weights set back')
    // Set back: nothing left in the local hot config, the worker on its bundled config again.
    expect(await localConfig(state).get()).toBeUndefined()
    expect(await health()).toMatchObject({
      source: 'bundled',
      revision: (before as { revision: string }).revision,
    })

    await new Promise((r) => setTimeout(r, 2500))
    const res = await fetch(`${base}/_tailor/admin/experiments.json`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    const { experiments } = (await res.json()) as { experiments: ExportEntry[] }
    const entry = (id: string) => experiments.find((e) => e.id === id)
    const arms = (id: string) => entry(id)?.report?.goals[0]?.arms ?? []
    const units = (id: string) => arms(id).map((a) => (typeof a.units === 'number' ? a.units : 0))
    const total = (id: string) => units(id).reduce((a, b) => a + b, 0)
    expect(total('hero-cyclists')).toBeGreaterThan(50)
    expect(total('newsletter-wording')).toBeGreaterThan(200)
    expect(total('offer-box')).toBeGreaterThan(50)
    // A third of the visitors enrolled at 50/50, the rest at 20/80, and no one moved: about
    // 35/65 against the configured 50/50.
    const [usual = 0, editors = 0] = units('picks-order')
    expect(usual + editors).toBeGreaterThan(300)
    expect(usual / (usual + editors)).toBeLessThan(0.42)
    expect(entry('picks-order')?.report?.srm.alert).toBe(true)
    for (const id of ['hero-cyclists', 'newsletter-wording', 'offer-box']) {
      expect(entry(id)?.report?.srm.alert).toBe(false)
    }

    // `npm run report` exits 1 on the alert, so a CI job can watch an experiment.
    const report = spawnSync(
      process.execPath,
      ['scripts/run-ts.mjs', 'scripts/report.ts', '--url', base, '--token', TOKEN],
      { encoding: 'utf8', timeout: 60_000 }
    )
    expect(report.status).toBe(1)
    const picks = report.stdout.slice(report.stdout.indexOf('[picks-order'))
    expect(picks).toMatch(/SRM ALERT: units per arm do not match the weights \(p = [\d.]+e-\d+\)/)
  }, 300_000)
})
