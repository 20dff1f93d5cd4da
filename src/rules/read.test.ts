// readField: dot paths into the facts, own data only, never a throw.
import { describe, expect, it } from 'vitest'
import type { Facts } from '../context/fields'
import { readField } from '.'
import { makeFacts } from './fixtures'

const FACTS = makeFacts({
  country: 'FR',
  utm: { source: 'news' },
  prefs: { interests: ['cycling'], newsletter: false },
})

describe('readField', () => {
  it.each<[string, Facts, string, unknown]>([
    ['a top-level field', FACTS, 'country', 'FR'],
    ['a nested field', FACTS, 'utm.source', 'news'],
    ['a list', FACTS, 'prefs.interests', ['cycling']],
    ['false is a value', FACTS, 'prefs.newsletter', false],
    ['an absent field', FACTS, 'region', undefined],
    ['an absent nested field', FACTS, 'utm.medium', undefined],
    ['a path through a string', FACTS, 'country.length', undefined],
    ['a path through a missing object', FACTS, 'signals.cycling', undefined],
    ['an empty path', FACTS, '', undefined],
    ['an empty step', FACTS, 'utm..source', undefined],
    ['__proto__', FACTS, '__proto__', undefined],
    ['constructor', FACTS, 'constructor', undefined],
    ['a nested constructor', FACTS, 'prefs.constructor', undefined],
    ['an inherited method', FACTS, 'utm.toString', undefined],
    ['hasOwnProperty', FACTS, 'hasOwnProperty', undefined],
    [
      'an own __proto__ key',
      JSON.parse('{"prefs": {"__proto__": {"x": 1}}}'),
      'prefs.__proto__.x',
      undefined,
    ],
    ['null facts', null as never, 'country', undefined],
    ['undefined facts', undefined as never, 'country', undefined],
    ['facts that are a string', 'FR' as never, 'length', undefined],
    ['a null step', { utm: null } as never, 'utm.source', undefined],
    ['an array index', { list: ['a'] } as never, 'list.0', 'a'],
  ])('%s', (_label, facts, path, expected) => {
    expect(readField(facts, path)).toEqual(expected)
  })

  it('treats a throwing getter or Proxy as absent', () => {
    const getter = Object.defineProperty({}, 'country', {
      get() {
        throw new Error('boom')
      },
      enumerable: true,
    }) as Facts
    const proxy = new Proxy({} as Facts, {
      getOwnPropertyDescriptor() {
        throw new Error('boom')
      },
    })
    expect(readField(getter, 'country')).toBeUndefined()
    expect(readField(proxy, 'country')).toBeUndefined()
  })

  it('does not treat a non-string path as a path', () => {
    expect(readField(FACTS, 5 as never)).toBeUndefined()
  })
})
