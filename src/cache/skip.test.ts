// The per-isolate list of pages the origin marks uncacheable: bounded, and forgotten in time.
import { describe, expect, it } from 'vitest'
import { createSkipList } from './skip'

describe('createSkipList', () => {
  it('skips a page until its time is up', () => {
    const skip = createSkipList(1000)
    expect(skip.has('https://a/', 0)).toBe(false)
    skip.add('https://a/', 0)
    expect(skip.has('https://a/', 999)).toBe(true)
    expect(skip.has('https://a/', 1000)).toBe(false)
    expect(skip.size).toBe(0)
  })

  it('forgets a page the origin lets be kept', () => {
    const skip = createSkipList()
    skip.add('https://a/', 0)
    skip.delete('https://a/')
    expect(skip.has('https://a/', 1)).toBe(false)
  })

  it('holds at most `max` pages, forgetting the oldest first', () => {
    const skip = createSkipList(60_000, 3)
    for (const key of ['a', 'b', 'c', 'd']) {
      skip.add(key, 0)
    }
    expect(skip.size).toBe(3)
    expect(skip.has('a', 1)).toBe(false)
    expect(skip.has('d', 1)).toBe(true)
    skip.add('b', 0) // re-adding moves it to the newest
    skip.add('e', 0)
    expect(skip.has('c', 1)).toBe(false)
    expect(skip.has('b', 1)).toBe(true)
  })
})
