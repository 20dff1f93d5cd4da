// The store in a real Durable Object (miniflare): atomic batches, replays, and nothing else kept.
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Batch } from '../../src/measure'
import { ExperimentStore } from '../../src/measure'

const ns = env.TAILOR_EXPERIMENTS
const stubFor = (id: string) => ns.get(ns.idFromName(id))
const DAY = Math.floor(Date.now() / 86_400_000)

/** The error a store call rejects with (RPC promises are awaited here, never left dangling). */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call
  } catch (err) {
    return String((err as Error).message)
  }
  return 'no error'
}

const row = (arm: number, metric: string, count = 1): Batch['rows'][number] => ({
  phase: 1,
  arm,
  day: DAY,
  cell: '',
  metric,
  count,
  sum: count,
  sumSquares: count,
})

describe('ExperimentStore', () => {
  it('adds batches into (phase, arm, day, cell, metric) rows with count, sum and sumSquares', async () => {
    const stub = stubFor('store-add')
    await stub.apply({
      experiment: 'store-add',
      rows: [row(0, 'views', 3), row(1, 'views')],
      pings: [],
    })
    await stub.apply({
      experiment: 'store-add',
      rows: [{ ...row(0, 'views'), sum: 2.5, sumSquares: 6.25 }],
      pings: [],
    })
    expect(await stub.totals()).toEqual([
      {
        experiment: 'store-add',
        phase: 1,
        arm: 0,
        cell: '',
        metric: 'views',
        count: 4,
        sum: 5.5,
        sumSquares: 9.25,
      },
      {
        experiment: 'store-add',
        phase: 1,
        arm: 1,
        cell: '',
        metric: 'views',
        count: 1,
        sum: 1,
        sumSquares: 1,
      },
    ])
    expect((await stub.rows()).every((r) => r.day === DAY)).toBe(true)
  })

  it('applies a batch all or nothing: a bad row leaves no trace of the good ones', async () => {
    const stub = stubFor('store-atomic')
    const bad = { ...row(0, 'views'), arm: 9 }
    expect(
      await failure(
        stub.apply({ experiment: 'store-atomic', rows: [row(0, 'views'), bad], pings: [] })
      )
    ).toMatch(/Expected a batch/)
    // A failure inside the transaction (a count past SQLite's integer range) rolls back too.
    expect(
      await failure(
        stub.apply({
          experiment: 'store-atomic',
          rows: [row(1, 'units'), { ...row(0, 'views'), count: 1, sum: Number.NaN }],
          pings: [],
        })
      )
    ).not.toBe('no error')
    expect(await stub.totals()).toEqual([])
  })

  it('counts a ping nonce once, however often it is replayed', async () => {
    const stub = stubFor('store-ping')
    const ping = {
      phase: 1,
      arm: 1,
      day: DAY,
      cell: '',
      metric: 'goal:story',
      nonce: 'AAAAAAAAAAAAAAAA',
      until: DAY,
    }
    expect(await stub.apply({ experiment: 'store-ping', rows: [], pings: [ping, ping] })).toEqual({
      rows: 0,
      pings: 1,
      replays: 1,
      counted: [0],
    })
    const again = await stub.apply({ experiment: 'store-ping', rows: [], pings: [ping] })
    expect(again.replays).toBe(1)
    expect((await stub.totals())[0]).toMatchObject({ metric: 'goal:story', count: 1 })
  })

  it('forgets nonces whose day has passed, and keeps nothing but counts and nonces', async () => {
    const stub = stubFor('store-tables')
    const old = {
      phase: 1,
      arm: 0,
      day: DAY,
      cell: '',
      metric: 'goal:x',
      nonce: 'BBBBBBBBBBBBBBBB',
      until: DAY - 1,
    }
    await stub.apply({ experiment: 'store-tables', rows: [row(0, 'views')], pings: [old] })
    await stub.apply({ experiment: 'store-tables', rows: [row(1, 'views')], pings: [] })
    await runInDurableObject(stub, async (instance: ExperimentStore, state) => {
      expect(instance).toBeInstanceOf(ExperimentStore)
      const sql = state.storage.sql
      const tables = sql
        .exec(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        .toArray()
        .map((t) => t.name)
      expect(tables.sort()).toEqual(['counts', 'replay'])
      const columns = (table: string) =>
        sql
          .exec(`PRAGMA table_info(${table})`)
          .toArray()
          .map((c) => c.name)
      expect(columns('counts')).toEqual([
        'experiment',
        'phase',
        'arm',
        'day',
        'cell',
        'metric',
        'count',
        'sum',
        'sum_squares',
      ])
      expect(columns('replay')).toEqual(['nonce', 'until'])
      // Every value of every row: ids, small integers, a day number, the nonce; no text from a request.
      for (const r of sql.exec('SELECT * FROM counts').toArray()) {
        expect(r).toEqual({
          experiment: 'store-tables',
          phase: 1,
          arm: expect.any(Number),
          day: DAY,
          cell: '',
          metric: expect.stringMatching(/^(views|goal:x)$/),
          count: 1,
          sum: 1,
          sum_squares: 1,
        })
      }
      // The nonce of a token past its day is gone at the next write.
      expect(sql.exec('SELECT * FROM replay').toArray()).toEqual([])
      // Storage holds nothing outside these tables (no key-value entries).
      expect((await state.storage.list()).size).toBe(0)
    })
  })

  it('refuses free text where only ids and metrics go', async () => {
    const stub = stubFor('store-text')
    for (const bad of [
      { ...row(0, 'views'), metric: 'https://example.com/?utm=1' },
      { ...row(0, 'views'), cell: 'Mozilla/5.0 (X11)' },
    ]) {
      expect(
        await failure(stub.apply({ experiment: 'store-text', rows: [bad], pings: [] }))
      ).toMatch(/Expected a batch/)
    }
    expect(
      await failure(stub.apply({ experiment: '203.0.113.9', rows: [row(0, 'views')], pings: [] }))
    ).toMatch(/Expected a batch/)
  })
})
