// Bandits in a real Durable Object: burn-in, cadence, floor, history, per-cell weights, and the flush hand-back.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { CompiledExperiment } from '../../src/config'
import type { Facts } from '../../src/context'
import type { BanditSpec } from '../../src/measure/bandit'
import { cellCount, cellIndex, cellLabel, cellOf } from '../../src/experiments'
import { banditBounds, banditSpecs } from '../../src/measure/bandit'
import { createBatcher } from '../../src/measure/batcher'
import type { Batch, ExperimentStore } from '../../src/measure/store'

const ns = env.TAILOR_EXPERIMENTS
const stubFor = (id: string) => ns.get(ns.idFromName(id))
const DAY = Math.floor(Date.now() / 86_400_000)
const HOUR = 3_600_000

const SPEC: BanditSpec = {
  phase: 1,
  arms: 2,
  goal: 'goal:buy',
  per: 'units',
  everyMinutes: 60,
  floor: 0.05,
  cells: false,
}

/** Rows for one arm: `units` units and views, `conversions` conversions, in `cell`. */
function arm(index: number, units: number, conversions: number, cell = ''): Batch['rows'] {
  const row = (metric: string, count: number) => ({
    phase: 1,
    arm: index,
    day: DAY,
    cell,
    metric,
    count,
    sum: count,
    sumSquares: count,
  })
  return [
    row('units', units),
    row('views', units),
    ...(conversions ? [row('goal:buy', conversions)] : []),
  ]
}

/** Move the store's last recomputation back by `ms`, as if that much time had passed. */
async function age(stub: DurableObjectStub<ExperimentStore>, ms: number) {
  await runInDurableObject(stub, (_i: ExperimentStore, state) => {
    state.storage.sql.exec('UPDATE bandit SET computed = computed - ?', ms)
    state.storage.sql.exec('UPDATE weights SET minute = minute - ?', Math.round(ms / 60_000))
  })
}

describe('the store runs a bandit', () => {
  it('burn-in: equal weights until every arm has 100 exposures; the alarm is set for everyMinutes', async () => {
    const stub = stubFor('bandit-burn')
    const before = Date.now()
    const applied = await stub.apply({
      experiment: 'bandit-burn',
      rows: [...arm(0, 500, 100), ...arm(1, 99, 1)],
      pings: [],
      bandit: SPEC,
    })
    expect(applied.weights).toEqual({ phase: 1, cells: { '': [0.5, 0.5] } })
    const alarm = await runInDurableObject(stub, (_i: ExperimentStore, s) => s.storage.getAlarm())
    expect(alarm).toBeGreaterThanOrEqual(before + HOUR)
    expect(alarm).toBeLessThanOrEqual(Date.now() + HOUR)
    const history = await stub.weights()
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ phase: 1, cell: '', mode: 'burn-in', weights: [0.5, 0.5] })
  })

  it('recomputes no sooner than everyMinutes, then moves weight to the better arm, above the floor', async () => {
    const stub = stubFor('bandit-cadence')
    const apply = (rows: Batch['rows']) =>
      stub.apply({ experiment: 'bandit-cadence', rows, pings: [], bandit: SPEC })
    await apply([...arm(0, 100, 5), ...arm(1, 100, 5)])
    // Past burn-in now, but the hour has not passed: the alarm leaves the weights alone.
    await apply([...arm(0, 900, 45), ...arm(1, 900, 150)])
    await age(stub, 59 * 60_000)
    await runInDurableObject(stub, (instance: ExperimentStore) => instance.alarm())
    expect(await stub.weights()).toHaveLength(1)
    // An hour after the last recomputation: Thompson sampling, floor respected, history grows.
    await age(stub, 2 * 60_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const history = await stub.weights()
    expect(history).toHaveLength(2)
    const latest = history[1]!
    expect(latest.mode).toBe('thompson')
    expect(latest.weights[1]).toBeGreaterThan(0.9)
    expect(latest.weights[0]).toBeGreaterThanOrEqual(0.05)
    expect(latest.weights[0]! + latest.weights[1]!).toBeCloseTo(1, 6)
    // The next alarm is an hour away, not sooner.
    const alarm = await runInDurableObject(stub, (_i: ExperimentStore, s) => s.storage.getAlarm())
    expect(alarm! - Date.now()).toBeGreaterThan(59 * 60_000)
    // The flush answers with the new weights.
    const applied = await apply(arm(0, 1, 0))
    expect(applied.weights?.cells['']).toEqual(latest.weights)
  })

  it('keeps weights per context cell: each cell learns its own best arm', async () => {
    const stub = stubFor('bandit-cells')
    const spec = { ...SPEC, cells: true }
    await stub.apply({
      experiment: 'bandit-cells',
      rows: [
        ...arm(0, 1000, 200, 'mobile'),
        ...arm(1, 1000, 50, 'mobile'),
        ...arm(0, 1000, 50, 'desktop'),
        ...arm(1, 1000, 200, 'desktop'),
        ...arm(0, 20, 2, 'tablet'),
        ...arm(1, 20, 2, 'tablet'),
      ],
      pings: [],
      bandit: spec,
    })
    const { cells } = (
      await stub.apply({
        experiment: 'bandit-cells',
        rows: [],
        pings: [],
        bandit: spec,
      })
    ).weights!
    expect(cells.mobile![0]).toBeGreaterThan(0.9)
    expect(cells.desktop![1]).toBeGreaterThan(0.9)
    // Tablet is still in burn-in: it borrows the pooled weights (even here, by symmetry).
    expect(cells.tablet).toEqual(cells[''])
    const rows = await stub.weights()
    expect(rows.map((r) => r.cell).sort()).toEqual(['', 'desktop', 'mobile', 'tablet'])
  })

  it('a phase bump starts equal again; the old phase stays in the history', async () => {
    const stub = stubFor('bandit-phase')
    await stub.apply({
      experiment: 'bandit-phase',
      rows: [...arm(0, 500, 10), ...arm(1, 500, 90)],
      pings: [],
      bandit: SPEC,
    })
    const applied = await stub.apply({
      experiment: 'bandit-phase',
      rows: [],
      pings: [],
      bandit: { ...SPEC, phase: 2 },
    })
    expect(applied.weights).toEqual({ phase: 2, cells: { '': [0.5, 0.5] } })
    expect((await stub.weights()).map((r) => r.phase)).toEqual([1, 2])
  })

  it('refuses a batch whose bandit spec is not what the batcher sends', async () => {
    const stub = stubFor('bandit-bad')
    for (const bandit of [
      { ...SPEC, everyMinutes: 5 },
      { ...SPEC, floor: 0.6 },
      { ...SPEC, goal: 'goal:<script>' },
    ]) {
      let message = 'no error'
      try {
        await stub.apply({ experiment: 'bandit-bad', rows: [], pings: [], bandit })
      } catch (err) {
        message = String((err as Error).message)
      }
      expect(message).toContain('Expected a batch as the batcher sends it')
    }
  })

  it('keeps nothing about a visitor: the bandit tables hold a spec, a time in minutes and weights', async () => {
    const stub = stubFor('bandit-tables')
    await stub.apply({ experiment: 'bandit-tables', rows: arm(0, 3, 1), pings: [], bandit: SPEC })
    await runInDurableObject(stub, (_i: ExperimentStore, state) => {
      const sql = state.storage.sql
      const columns = (t: string) =>
        sql
          .exec(`PRAGMA table_info(${t})`)
          .toArray()
          .map((c) => c.name)
      expect(columns('bandit')).toEqual(['id', 'spec', 'computed'])
      expect(columns('weights')).toEqual(['minute', 'phase', 'cell', 'mode', 'weights'])
      expect(sql.exec('SELECT spec FROM bandit').one().spec).toBe(JSON.stringify(SPEC))
    })
  })
})

/** A compiled bandit experiment, as far as the isolate side reads it. */
function experiment(contextBy: string[]): CompiledExperiment {
  return {
    id: 'iso-bandit',
    phase: 1,
    status: 'running',
    allocation: 'bandit',
    unit: 'visitor',
    arms: [{}, {}],
    bounds: [1, 2],
    goals: [{ id: 'buy', label: 'Buy', type: 'page', primary: true }],
    source: { bandit: { everyMinutes: 30, floor: 0.02, contextBy } },
  } as unknown as CompiledExperiment
}

const facts = (over: Partial<Facts>): Facts =>
  ({ utm: {}, path: '/', returning: false, gpc: false, prefs: {}, ...over }) as Facts

describe('isolates', () => {
  it('derive the spec from the config, and label a request with its cell', () => {
    const exp = experiment(['device', 'daypart'])
    expect(banditSpecs([exp]).get('iso-bandit')).toEqual({
      phase: 1,
      arms: 2,
      goal: 'goal:buy',
      per: 'units',
      everyMinutes: 30,
      floor: 0.02,
      cells: true,
    })
    expect(cellOf(['device', 'weekend'], facts({ device: 'mobile', weekend: false }))).toBe(
      'mobile/weekday'
    )
    expect(cellOf(['continent'], facts({ continent: 'EU' }))).toBe('eu')
    expect(cellOf(['device', 'daypart'], facts({ device: 'mobile' }))).toBe('')
    expect(cellOf(['device', 'daypart'], facts({ device: 'tablet', daypart: 'night' }))).toBe(
      'tablet/night'
    )
  })

  it('number the cells 1 to 24 and read each index back as its label', () => {
    const pairs: [string[], number][] = [
      [['device'], 3],
      [['daypart'], 4],
      [['weekend'], 2],
      [['continent'], 7],
      [['referrer'], 6],
      [['device', 'daypart'], 12],
      [['weekend', 'referrer'], 12],
      [['daypart', 'referrer'], 24],
    ]
    for (const [by, count] of pairs) {
      expect(cellCount(by)).toBe(count)
      const labels = Array.from({ length: count }, (_, i) => cellLabel(by, i + 1))
      expect(new Set(labels).size).toBe(count)
      expect(labels.every((l) => l.split('/').length === by.length)).toBe(true)
    }
    expect(cellLabel(['device', 'daypart'], 4)).toBe('mobile/evening')
    expect(cellIndex(['device', 'daypart'], facts({ device: 'mobile', daypart: 'evening' }))).toBe(
      4
    )
    expect(cellIndex(['continent'], facts({ continent: 'EU' }))).toBe(4)
    expect(cellIndex([], facts({ device: 'mobile' }))).toBe(0)
    for (const bad of [0, 13, -1, 1.5, '3', undefined]) {
      expect(cellLabel(['device', 'daypart'], bad)).toBe('')
    }
  })

  it('draw with the weights a flush brought back, per cell; equal before the first answer', async () => {
    const exp = experiment(['device'])
    const mobile = 'mobile'
    expect(banditBounds(exp, mobile)).toEqual([0.5, 1])
    expect(banditBounds({ ...exp, allocation: 'fixed' }, mobile)).toBeUndefined()
    // Seed the store with a clear mobile winner (arm 1), then let a batch flush through it.
    const stub = stubFor('iso-bandit')
    await stub.apply({
      experiment: 'iso-bandit',
      rows: [...arm(0, 800, 40, 'mobile'), ...arm(1, 800, 160, 'mobile')],
      pings: [],
    })
    const batcher = createBatcher({ intervalMs: 0 })
    const pending: Promise<unknown>[] = []
    batcher.add([{ experiment: 'iso-bandit', phase: 1, arm: 0, metric: 'views', cell: mobile }], {
      store: ns,
      waitUntil: (p) => pending.push(p),
      bandit: banditSpecs([exp]),
    })
    await Promise.all(pending)
    const bounds = banditBounds(exp, mobile)!
    expect(bounds[0]).toBeLessThan(0.1)
    expect(bounds[0]).toBeGreaterThanOrEqual(0.02)
    expect(bounds[1]).toBeCloseTo(1, 9)
    // A cell the store has not seen uses the pooled weights.
    expect(banditBounds(exp, 'desktop')).toEqual(banditBounds(exp, ''))
  })
})
