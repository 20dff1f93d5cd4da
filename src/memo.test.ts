// rememberLast: the last value's answer is reused, any other value is answered anew.
import { describe, expect, it, vi } from 'vitest'
import { rememberLast } from './memo'

describe('rememberLast', () => {
  it('answers a repeated value once, and each new value (null included) anew', () => {
    const answer = vi.fn((value: string | null) => (value === null ? -1 : value.length))
    const remembered = rememberLast(answer)
    const asked: (string | null)[] = ['ab', 'ab', null, null, 'abc', 'ab', 'ab']
    expect(asked.map(remembered)).toEqual([2, 2, -1, -1, 3, 2, 2])
    expect(answer.mock.calls.map(([value]) => value)).toEqual(['ab', null, 'abc', 'ab'])
  })
})
