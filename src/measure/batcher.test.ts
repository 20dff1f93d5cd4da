// The batcher against a real Durable Object: exact sums under concurrency, few requests, fail-safe.
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import type { Increment } from '../experiments'
import { createBatcher } from './batcher'
import type { ExperimentStore } from './store'

const ns = env.TAILOR_EXPERIMENTS

/** A namespace that counts the store requests it passes on. */
function counting(target: DurableObjectNamespace<ExperimentStore>) {
  const calls = { n: 0 }
  const store = {
    idFromName: (name: string) => target.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = target.get(id)
      return {
        apply: (batch: Parameters<ExperimentStore['apply']>[0]) => {
          calls.n++
          return stub.apply(batch)
        },
      }
    },
  } as unknown as DurableObjectNamespace<ExperimentStore>
  return { store, calls }
}

describe('createBatcher', () => {
  it('500 concurrent requests: every increment lands, in a handful of store requests', async () => {
    const batcher = createBatcher({ intervalMs: 50 })
    const { store, calls } = counting(ns)
    const pending: Promise<unknown>[] = []
    const waitUntil = (p: Promise<unknown>) => pending.push(p)
    const requests = Array.from({ length: 500 }, async (_, i) => {
      // Spread over ~200 ms, as requests of one isolate would be.
      await new Promise((r) => setTimeout(r, i % 200))
      const incs: Increment[] = [
        { experiment: 'batch-sum', phase: 1, arm: i % 2, metric: 'views' },
        { experiment: 'batch-sum', phase: 1, arm: i % 2, metric: 'goal:x', value: 2 },
      ]
      batcher.add(incs, { store, waitUntil })
    })
    await Promise.all(requests)
    while (pending.length) {
      await Promise.all(pending.splice(0))
    }
    const totals = await ns.get(ns.idFromName('batch-sum')).totals()
    const of = (arm: number, metric: string) =>
      totals.find((t) => t.arm === arm && t.metric === metric)
    expect(of(0, 'views')).toMatchObject({ count: 250, sum: 250, sumSquares: 250 })
    expect(of(1, 'views')).toMatchObject({ count: 250 })
    expect(of(1, 'goal:x')).toMatchObject({ count: 250, sum: 500, sumSquares: 1000 })
    // 1,000 increments over ~200 ms at one flush per 50 ms: a few requests, not 1,000.
    expect(calls.n).toBeGreaterThan(0)
    expect(calls.n).toBeLessThanOrEqual(8)
    expect(batcher.health()).toEqual({ flushes: calls.n, failures: 0, dropped: 0, pending: 0 })
  })

  it('a failing store never throws into the caller; the loss is counted and logged once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const batcher = createBatcher({ intervalMs: 0 })
    const broken = {
      idFromName: () => {
        throw new Error('store unreachable')
      },
      get: () => undefined,
    } as unknown as DurableObjectNamespace<ExperimentStore>
    const pending: Promise<unknown>[] = []
    for (let i = 0; i < 3; i++) {
      expect(() =>
        batcher.add([{ experiment: `broken-${i}`, phase: 1, arm: 0, metric: 'views' }], {
          store: broken,
          waitUntil: (p) => pending.push(p),
        })
      ).not.toThrow()
    }
    await Promise.all(pending)
    expect(batcher.health()).toMatchObject({ failures: 3, dropped: 3, pending: 0 })
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('tailor/measure'))).toHaveLength(1)
    warn.mockRestore()
  })

  it('writes one Analytics Engine data point per event, indexed by experiment', async () => {
    const points: AnalyticsEngineDataPoint[] = []
    const analytics = { writeDataPoint: (p: AnalyticsEngineDataPoint) => points.push(p) }
    const batcher = createBatcher({ intervalMs: 0 })
    const pending: Promise<unknown>[] = []
    batcher.add(
      [
        { experiment: 'ae', phase: 2, arm: 1, metric: 'views' },
        { experiment: 'ae', phase: 2, arm: 1, metric: 'units' },
      ],
      { store: ns, analytics, waitUntil: (p) => pending.push(p) }
    )
    await Promise.all(pending)
    expect(points).toEqual([
      { indexes: ['ae'], blobs: ['views', ''], doubles: [2, 1, 1] },
      { indexes: ['ae'], blobs: ['units', ''], doubles: [2, 1, 1] },
    ])
  })
})
