// The static check that keeps `$regex` patterns fast on long, visitor-controlled values.
import { describe, expect, it } from 'vitest'
import { compileCondition } from '.'
import { testEnv } from './fixtures'
import { slowPattern } from './regex'

const NESTED = 'without a repeated group that holds a quantifier or "|"'
const TWO = 'with at most one *, + or {n,m}'
const OPTIONALS = 'with at most 5 optional parts ("?")'

describe('slowPattern', () => {
  it.each<[string, string | undefined]>([
    ['^/blog/', undefined],
    ['^/blog/.*', undefined],
    ['^/(en|fr)?/?shop/?$', undefined],
    ['cycl(e|ing)', undefined],
    ['^/20\\d{2}/\\d{2}/', undefined],
    ['[a-z]+', undefined],
    ['[*+]x[*+]', undefined],
    ['\\*\\+\\*', undefined],
    ['(?:ab)+', undefined],
    ['(?<year>\\d{4})-(?=x)', undefined],
    ['(a+)?', undefined],
    ['a{2}b{3}c{0,1}', undefined],
    ['x{,3}{a', undefined],
    ['(a+)+$', NESTED],
    ['^(\\w+\\s?)*$', NESTED],
    ['(a|aa)*', NESTED],
    ['(?:a*){3}', NESTED],
    ['((a)+)+', NESTED],
    ['.*a.*b', TWO],
    ['.*foo.*', TWO],
    ['a*a*a*x', TWO],
    ['\\d+-\\d+', TWO],
    ['a{2,}b{1,5}', TWO],
    ['a*?b+?', TWO],
    ['a?b?c?d?e?f?', OPTIONALS],
  ])('%s', (pattern, expected) => {
    expect(() => new RegExp(pattern)).not.toThrow()
    expect(slowPattern(pattern)).toBe(expected)
  })
})

describe('$regex with a slow pattern', () => {
  it('is an issue that says why', () => {
    expect(compileCondition({ path: { $regex: '.*blog.*' } }, testEnv()).issues).toEqual([
      {
        path: ['path', '$regex'],
        message:
          'Expected a regular expression with at most one *, + or {n,m}, so that it stays fast on long values (a search needs no leading or trailing ".*"). Got ".*blog.*".',
      },
    ])
  })
})
