// The counts of one experiment: a Durable Object with SQLite storage, aggregate rows and nothing else.
import { DurableObject } from 'cloudflare:workers'
import type { BanditSpec, LiveWeights, WeightsRow } from './bandit'
import { banditAlarm, isBanditSpec, noteBandit, scheduleAlarm, weightsHistory } from './bandit'

/** One aggregate: how many, the sum and the sum of squares of the values (1 for a plain count). */
export type Sums = { count: number; sum: number; sumSquares: number }

/** A row as stored: keyed (experiment, phase, arm, UTC day, context cell, metric). */
export type CountRow = Sums & {
  experiment: string
  phase: number
  arm: number
  /** Days since 1970-01-01, UTC: the finest time the store knows. */
  day: number
  /** A coarse context label such as "mobile/evening"; "" until a contextual bandit asks for one. */
  cell: string
  metric: string
}

/** Rows summed over days: what a report reads first. */
export type TotalRow = Omit<CountRow, 'day'>

/** A click ping: counted at most once per nonce. */
export type PingRow = {
  phase: number
  arm: number
  day: number
  cell: string
  metric: string
  nonce: string
  /** The UTC day after which the token can no longer verify, so its nonce can be forgotten. */
  until: number
}

/** What an isolate sends in one request: increments for one experiment, applied all or nothing. */
export type Batch = {
  experiment: string
  rows: (Omit<CountRow, 'experiment'> & Sums)[]
  pings: PingRow[]
  /** A bandit experiment's spec (src/measure/bandit.ts): the store runs its weights. */
  bandit?: BanditSpec
}

/**
 * What applying a batch did, and a bandit's weights in force (the isolate draws with them).
 * `counted`: the indexes in `batch.pings` that counted (not replays), so the isolate can write
 * those, and only those, to Analytics Engine.
 */
export type Applied = {
  rows: number
  pings: number
  replays: number
  counted: number[]
  weights?: LiveWeights
}

const ID = /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/
const METRIC = /^[a-z]+(?::[A-Za-z][A-Za-z0-9_-]{0,39})?$/
const CELL = /^[a-z0-9/_-]{0,40}$/
const NONCE = /^[A-Za-z0-9_-]{16}$/
const MAX_ROWS = 5000

const isInt = (n: unknown, min: number, max: number): n is number =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max

/** Throws when a batch is not what the batcher sends: the store never takes free text. */
function checkBatch(batch: Batch): void {
  const ok =
    typeof batch === 'object' &&
    batch !== null &&
    typeof batch.experiment === 'string' &&
    ID.test(batch.experiment) &&
    Array.isArray(batch.rows) &&
    Array.isArray(batch.pings) &&
    batch.rows.length + batch.pings.length <= MAX_ROWS &&
    [...batch.rows, ...batch.pings].every(
      (r) =>
        isInt(r.phase, 1, 65_535) &&
        isInt(r.arm, 0, 7) &&
        isInt(r.day, 0, 1_000_000) &&
        typeof r.cell === 'string' &&
        CELL.test(r.cell) &&
        typeof r.metric === 'string' &&
        METRIC.test(r.metric)
    ) &&
    batch.rows.every(
      (r) =>
        isInt(r.count, 1, Number.MAX_SAFE_INTEGER) &&
        Number.isFinite(r.sum) &&
        Number.isFinite(r.sumSquares)
    ) &&
    batch.pings.every(
      (p) => typeof p.nonce === 'string' && NONCE.test(p.nonce) && isInt(p.until, 0, 1_000_000)
    ) &&
    (batch.bandit === undefined || isBanditSpec(batch.bandit))
  if (!ok) {
    throw new TypeError('ExperimentStore.apply: Expected a batch as the batcher sends it.')
  }
}

const today = (now: number): number => Math.floor(now / 86_400_000)

/**
 * One object per experiment (`idFromName(experimentId)`), holding two tables:
 * - `counts`: (experiment, phase, arm, day, cell, metric) → count, sum, sum_squares;
 * - `replay`: click-ping nonces seen, each with the day after which its token has expired. A nonce
 *   is random per page view, never per visitor; rows go at the next UTC midnight after that day,
 *   so none is kept much beyond a day.
 * No URL, user agent, address, cookie or time finer than a day is ever written.
 */
export class ExperimentStore extends DurableObject {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS counts (
      experiment TEXT NOT NULL, phase INTEGER NOT NULL, arm INTEGER NOT NULL, day INTEGER NOT NULL,
      cell TEXT NOT NULL, metric TEXT NOT NULL,
      count INTEGER NOT NULL, sum REAL NOT NULL, sum_squares REAL NOT NULL,
      PRIMARY KEY (experiment, phase, arm, day, cell, metric)) WITHOUT ROWID`)
    this.sql.exec(`CREATE TABLE IF NOT EXISTS replay (
      nonce TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID`)
  }

  /**
   * Apply a batch atomically: every row and ping, or (on any error) none. A ping whose nonce was
   * already seen is a replay and adds nothing.
   * @example await stub.apply({ experiment: 'hero-test', rows: [...], pings: [] }) // { rows: 2, pings: 0, replays: 0, counted: [] }
   */
  apply(batch: Batch): Promise<Applied> {
    checkBatch(batch)
    const applied: Applied = { rows: 0, pings: 0, replays: 0, counted: [] }
    const add = (r: Omit<CountRow, 'experiment'>) =>
      this.sql.exec(
        `INSERT INTO counts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (experiment, phase, arm, day, cell, metric) DO UPDATE SET
           count = count + excluded.count, sum = sum + excluded.sum,
           sum_squares = sum_squares + excluded.sum_squares`,
        batch.experiment,
        r.phase,
        r.arm,
        r.day,
        r.cell,
        r.metric,
        r.count,
        r.sum,
        r.sumSquares
      )
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('DELETE FROM replay WHERE until < ?', today(Date.now()))
      for (const r of batch.rows) {
        add(r)
        applied.rows++
      }
      for (const [i, p] of batch.pings.entries()) {
        const fresh = this.sql.exec(
          'INSERT INTO replay VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING nonce',
          p.nonce,
          p.until
        )
        if (fresh.toArray().length === 0) {
          applied.replays++
          continue
        }
        add({ ...p, count: 1, sum: 1, sumSquares: 1 })
        applied.pings++
        applied.counted.push(i)
      }
    })
    return this.after(batch, applied)
  }

  /** After the rows: the alarm for forgetting nonces, and a bandit's weights. */
  private async after(batch: Batch, applied: Applied): Promise<Applied> {
    if (batch.pings.length) {
      // Forget nonces even when no further batch comes: at the next UTC midnight.
      await scheduleAlarm(this.ctx.storage, (today(Date.now()) + 1) * 86_400_000)
    }
    if (batch.bandit) {
      applied.weights = await noteBandit(this.sql, this.ctx.storage, batch.bandit, Date.now())
    }
    return applied
  }

  /** Every row, by day: for the report's daily charts. */
  rows(): CountRow[] {
    return this.sql
      .exec(
        `SELECT experiment, phase, arm, day, cell, metric, count, sum, sum_squares AS sumSquares
         FROM counts ORDER BY phase, arm, day, cell, metric`
      )
      .toArray() as CountRow[]
  }

  /** Rows summed over days, per (phase, arm, cell, metric). */
  totals(): TotalRow[] {
    return this.sql
      .exec(
        `SELECT experiment, phase, arm, cell, metric, SUM(count) AS count, SUM(sum) AS sum,
           SUM(sum_squares) AS sumSquares
         FROM counts GROUP BY experiment, phase, arm, cell, metric ORDER BY phase, arm, cell, metric`
      )
      .toArray() as TotalRow[]
  }

  /** A bandit's weights history, oldest first (empty for a fixed experiment). */
  weights(): WeightsRow[] {
    return weightsHistory(this.sql)
  }

  /** Forget the nonces whose tokens can no longer verify; recompute a bandit's weights when due. */
  async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec('DELETE FROM replay WHERE until < ?', today(now))
    // One alarm per object: the sooner of the next midnight (nonces left) and the bandit's turn.
    const next = [banditAlarm(this.sql, now) ?? Infinity]
    if (this.sql.exec('SELECT 1 FROM replay LIMIT 1').toArray().length) {
      next.push((today(now) + 1) * 86_400_000)
    }
    const at = Math.min(...next)
    if (at < Infinity) {
      await this.ctx.storage.setAlarm(at)
    }
  }
}
