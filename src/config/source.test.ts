// createConfigSource, called directly with a fake KV and an injected clock.
import { describe, expect, it, vi } from 'vitest'
import { createConfigSource } from './source'

const BUNDLED = { version: 1, locales: ['en'], slots: {} }
const PUSHED = {
  version: 1,
  locales: ['en'],
  slots: { a: { selector: '#a', variants: [{ id: 'x', action: { type: 'text', text: 'KV' } }] } },
}

/** A KV namespace holding `value` under "config"; counts reads. */
function fakeKv(value: () => string | null | Promise<string | null>) {
  const get = vi.fn(async () => value())
  return { kv: { get } as unknown as KVNamespace, get }
}

describe('createConfigSource', () => {
  it('without KV: the bundled config, compiled once, never re-read', async () => {
    const source = createConfigSource(BUNDLED)
    const a = await source.current(undefined, 0)
    const b = await source.current(undefined, 1_000_000)
    expect(a).toBe(b)
    expect(a.source).toBe('bundled')
    expect(a.compiled).toBe(source.bundled)
    expect(a.checkedAt).toBeUndefined()
  })

  it.each<[string, () => string | null, 'bundled' | 'kv', number]>([
    ['nothing pushed', () => null, 'bundled', 1],
    ['a valid config', () => JSON.stringify(PUSHED), 'kv', 1],
    ['not JSON', () => '{', 'bundled', 1],
    ['an invalid config', () => JSON.stringify({ version: 9 }), 'bundled', 1],
  ])(
    'with KV, %s → the %s config, checked at the injected time',
    async (_n, value, from, slots) => {
      const { kv } = fakeKv(value)
      const live = await createConfigSource(BUNDLED).current(kv, 5_000)
      expect(live.source).toBe(from)
      expect(live.checkedAt).toBe(5_000)
      expect(live.compiled?.slots.length ?? 0).toBe(from === 'kv' ? slots : 0)
    }
  )

  it('a failed KV read keeps the last good config', async () => {
    let fail = false
    const { kv } = fakeKv(() => {
      if (fail) {
        throw new Error('KV down')
      }
      return JSON.stringify(PUSHED)
    })
    const source = createConfigSource(BUNDLED, { ttlMs: 10 })
    expect((await source.current(kv, 0)).source).toBe('kv')
    fail = true
    const kept = await source.current(kv, 100)
    expect(kept.source).toBe('kv')
    expect(kept.checkedAt).toBe(100)
  })

  it('within ttlMs the cached copy is used; after it, stale is served while waitUntil refreshes', async () => {
    const { kv, get } = fakeKv(() => JSON.stringify(PUSHED))
    const source = createConfigSource(BUNDLED, { ttlMs: 1_000 })
    await source.current(kv, 0)
    await source.current(kv, 999)
    expect(get).toHaveBeenCalledTimes(1)
    const pending: Promise<unknown>[] = []
    const stale = await source.current(kv, 1_000, (p) => pending.push(p))
    expect(stale.checkedAt).toBe(0)
    expect(pending).toHaveLength(1)
    await Promise.all(pending)
    expect(get).toHaveBeenCalledTimes(2)
    expect((await source.current(kv, 1_001)).checkedAt).toBe(1_000)
  })

  it('a per-call ttl (dev mode) overrides the source’s', async () => {
    const { kv, get } = fakeKv(() => null)
    const source = createConfigSource(BUNDLED, { ttlMs: 60_000 })
    await source.current(kv, 0)
    await source.current(kv, 2_000, undefined, 2_000)
    expect(get).toHaveBeenCalledTimes(2)
  })
})
