// Redirect targets that stay on this site, pages to explain, flashes, and preferences from forms.
import { describe, expect, it } from 'vitest'
import type { Vocabulary } from '../config'
import { safeLocalPath } from '../context'
import { afterAction, flashOf, pageToExplain, preferencesFromForm, returnTo } from './form'

describe('safeLocalPath and returnTo: only same-origin paths', () => {
  it.each<[string, string]>([
    ['/', '/'],
    ['/_tailor/', '/_tailor/'],
    ['/cycling/?page=2#top', '/cycling/?page=2#top'],
    ['/_tailor/?from=%2F', '/_tailor/?from=%2F'],
    ['/a/../b', '/b'],
    ['/caf%C3%A9', '/caf%C3%A9'],
    ['/café', '/caf%C3%A9'],
  ])('keeps %j as %j', (value, path) => {
    expect(safeLocalPath(value)).toBe(path)
    expect(returnTo(value)).toBe(path)
  })

  it.each<[string, unknown]>([
    ['protocol-relative', '//evil.example/'],
    ['backslash', '/\\evil.example/'],
    ['backslashes', '\\\\evil.example'],
    ['a backslash later', '/a\\b'],
    ['an absolute URL', 'https://evil.example/'],
    ['same host absolute', 'https://shop.example/'],
    ['scheme-relative with a colon', 'http:/evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a tab the URL parser drops', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['CRLF header injection', '/x\r\nSet-Cookie: a=b'],
    ['a leading space', ' /x'],
    ['a space', '/a b'],
    ['a NUL', '/a\u0000b'],
    ['a C1 control', '/a\u0085b'],
    ['dot segments that make "//"', '/.//evil.example'],
    ['dot-dot segments that make "//"', '/..//evil.example'],
    ['relative', 'cycling/'],
    ['empty', ''],
    ['over 2000 characters', `/${'a'.repeat(2000)}`],
    ['not a string', ['/']],
    ['null', null],
  ])('refuses %s', (_name, value) => {
    expect(safeLocalPath(value)).toBeUndefined()
    expect(returnTo(value)).toBe('/_tailor/')
  })

  it('never yields something a browser reads as another host', () => {
    const attempts = ['/%2F/evil.example', '/%5Cevil.example', '/.%2E//evil', '/./\u3000/evil']
    for (const attempt of attempts) {
      const path = returnTo(attempt)
      expect(new URL(path, 'https://shop.example').origin).toBe('https://shop.example')
      expect(path.startsWith('//')).toBe(false)
    }
  })
})

describe('pageToExplain', () => {
  it.each<[unknown, string | undefined]>([
    ['/', '/'],
    ['/cycling/?utm_campaign=spring', '/cycling/?utm_campaign=spring'],
    ['/cycling/#top', '/cycling/'],
    ['/_tailor/', undefined],
    ['/_tailor', undefined],
    ['/_tailor/api/why', undefined],
    ['/_tailorx', '/_tailorx'],
    ['//evil.example', undefined],
    ['<script>alert(1)</script>', undefined],
    ['/<script>', '/%3Cscript%3E'],
  ])('%j → %j', (value, page) => {
    expect(pageToExplain(value)).toBe(page)
  })
})

describe('afterAction and flashOf', () => {
  it('adds the flash only when going back to the centre', () => {
    expect(afterAction('/_tailor/', 'saved')).toBe('/_tailor/?done=saved')
    expect(afterAction('/_tailor/?from=%2F&done=erased', 'saved')).toBe(
      '/_tailor/?from=%2F&done=saved'
    )
    expect(afterAction('/cycling/?a=1', 'saved')).toBe('/cycling/?a=1')
  })

  it.each<[unknown, string | undefined]>([
    ['saved', 'saved'],
    ['erased', 'erased'],
    ['<script>', undefined],
    ['toString', undefined],
    ['__proto__', undefined],
    [undefined, undefined],
  ])('flashOf(%j) → %j', (value, flash) => {
    expect(flashOf(value)).toBe(flash)
  })
})

describe('preferencesFromForm', () => {
  const vocabulary: Vocabulary = {
    interests: { type: 'set', label: 'Interests', options: { cycling: 'C', running: 'R' } },
    name: { type: 'text', label: 'Name', maxLength: 40 },
    language: { type: 'choice', label: 'Language', options: { en: 'English' } },
    news: { type: 'boolean', label: 'News' },
  }

  it.each<[string, Record<string, unknown>]>([
    [
      'interests=cycling&interests=running&name=Ana&language=en&news=true',
      { interests: ['cycling', 'running'], name: 'Ana', language: 'en', news: true },
    ],
    ['', { interests: null, name: null, language: null, news: null }],
    ['name=&language=&news=', { interests: null, name: '', language: '', news: null }],
    [
      'interests=cycling&interests=cycling&news=false',
      { interests: ['cycling'], name: null, language: null, news: false },
    ],
    ['news=maybe', { interests: null, name: null, language: null, news: 'maybe' }],
    [
      'return_to=%2F&color=red&__proto__=x',
      { interests: null, name: null, language: null, news: null },
    ],
  ])('%j', (body, expected) => {
    expect(preferencesFromForm(new URLSearchParams(body), vocabulary)).toEqual(expected)
  })
})
