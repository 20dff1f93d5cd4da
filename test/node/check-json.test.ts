// Invalid config JSON is reported at its line and column, with what was expected in words.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findJsonError, parseJson } from '../../scripts/check-json'

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{ "a": [1, -2.5e3, "x\\u00e9\\n", true, false, null] }')).toEqual({
      ok: true,
      value: { a: [1, -2500, 'xé\n', true, false, null] },
    })
  })

  it.each([
    [
      'a trailing comma in an object, at the comma',
      '{\n  "a": 1,\n}',
      2,
      9,
      'Expected another property after ",". Got "}" (JSON allows no trailing comma).',
    ],
    [
      'a trailing comma in an array, at the comma',
      '{ "a": [1, 2,\n] }',
      1,
      13,
      'Expected another element after ",". Got "]" (JSON allows no trailing comma).',
    ],
    [
      'a missing comma',
      '{\n  "a": 1\n  "b": 2\n}',
      3,
      3,
      'Expected "," or "}" after a property value. Got "\\"".',
    ],
    [
      'a missing comma in an array',
      '[1 2]',
      1,
      4,
      'Expected "," or "]" after an array element. Got "2".',
    ],
    [
      'single quotes',
      "{ 'a': 1 }",
      1,
      3,
      'Expected a property name in double quotes or "}". Got "\'" (JSON strings take double quotes).',
    ],
    [
      'an unquoted property name',
      '{ "a": 1, b: 2 }',
      1,
      11,
      'Expected a property name in double quotes. Got "b".',
    ],
    [
      'a comment',
      '{\n  // the hero\n  "a": 1 }',
      2,
      3,
      'Expected a property name in double quotes or "}". Got "/" (JSON has no comments).',
    ],
    ['a missing colon', '{ "a" 1 }', 1, 7, 'Expected ":" after the property name. Got "1".'],
    [
      'a misspelt literal',
      '{ "a": tru }',
      1,
      8,
      'Expected a JSON value (a string, number, object, array, true, false or null). Got "tru".',
    ],
    [
      'a string cut by a newline',
      '{ "a": "one\ntwo" }',
      1,
      12,
      'Expected a closing " before the end of the line (a string cannot span lines).',
    ],
    [
      'an unterminated string at the end',
      '{ "a": "one',
      1,
      8,
      'Expected a closing " for this string. Got the end of the file.',
    ],
    [
      'a tab inside a string',
      '["a\tb"]',
      1,
      4,
      'Expected no control character inside a string (write \\t, \\n). Got U+0009.',
    ],
    [
      'a bad escape',
      '["C:\\dir"]',
      1,
      5,
      'Expected an escape such as \\n, \\" or \\u00e9. Got "\\\\d".',
    ],
    ['a leading zero', '[012]', 1, 2, 'Expected a number without a leading zero. Got "012".'],
    ['a bare decimal point', '[1.]', 1, 3, 'Expected digits in the number. Got "1.".'],
    ['a lone minus', '[-]', 1, 2, 'Expected a number. Got "-".'],
    [
      'an empty file',
      '',
      1,
      1,
      'Expected a JSON value (a string, number, object, array, true, false or null). Got the end of the file.',
    ],
    [
      'a file cut short',
      '{ "a": [1,\n',
      2,
      1,
      'Expected a JSON value (a string, number, object, array, true, false or null). Got the end of the file.',
    ],
    [
      'a byte order mark',
      '\uFEFF{}',
      1,
      1,
      'Expected a JSON value (a string, number, object, array, true, false or null). Got a byte order mark (save the file as UTF-8 without BOM).',
    ],
    [
      'a second document',
      '{}\n{}',
      2,
      1,
      'Expected the end of the file after the JSON value. Got "{".',
    ],
  ])('reports %s', (_, text, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(parseJson(text)).toEqual({ ok: false, line, column, message })
  })

  it('counts columns in UTF-16 code units, as editors do', () => {
    expect(parseJson('{ "é": 1,\n  "ü" 2 }')).toMatchObject({ line: 2, column: 7 })
  })
})

describe('findJsonError agrees with JSON.parse', () => {
  it('accepts everything JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined)
        expect(findJsonError(text)).toBeUndefined()
      })
    )
  })

  it('finds an error in everything JSON.parse rejects', () => {
    // Valid documents with one character inserted, deleted or replaced.
    const mutated = fc
      .tuple(
        fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
        fc.nat(),
        fc.constantFrom('insert', 'delete', 'replace'),
        fc.constantFrom(...'{}[]:,"\\ 0123456789-+.eEtfnu\n\t/\'x')
      )
      .map(([text, n, op, ch]) => {
        const i = text.length ? n % text.length : 0
        if (op === 'insert') {
          return text.slice(0, i) + ch + text.slice(i)
        }
        return text.slice(0, i) + (op === 'replace' ? ch : '') + text.slice(i + 1)
      })
    fc.assert(
      fc.property(mutated, (text) => {
        let valid = true
        try {
          JSON.parse(text)
        } catch {
          valid = false
        }
        expect(findJsonError(text) === undefined).toBe(valid)
      }),
      { numRuns: 2000 }
    )
  })
})
