// renderTemplate, called directly: facts in, text out, escaped only where the action is HTML.
import { describe, expect, it } from 'vitest'
import type { Facts, FieldSpec } from '../context'
import { CONTEXT_FIELDS } from '../context'
import { parseTemplate, renderTemplate } from './template'

const FACTS = {
  country: 'FR',
  prefs: { name: '<Ana & "Bo">', interests: ['cycling', 'running'], newsletter: true },
} as unknown as Facts

const FIELDS: Record<string, FieldSpec> = {
  ...CONTEXT_FIELDS,
  'prefs.name': { type: 'string', noun: 'your name' },
  'prefs.interests': { type: 'string', list: true, noun: 'your interests' },
  'prefs.newsletter': { type: 'boolean', noun: 'the newsletter' },
} as Record<string, FieldSpec>

const field = (path: string) => FIELDS[path]

describe('renderTemplate', () => {
  it.each<[string, boolean, string]>([
    ['Hello', false, 'Hello'],
    ['Hi {{prefs.name}}', false, 'Hi <Ana & "Bo">'],
    ['Hi {{prefs.name}}', true, 'Hi &lt;Ana &amp; &quot;Bo&quot;&gt;'],
    ['Hi {{prefs.missing|there}}', true, 'Hi there'],
    ['From {{country}}', false, 'From FR'],
    ['{{prefs.interests}}', false, 'cycling, running'],
    ['{{region|somewhere}} {{country}}', true, 'somewhere FR'],
  ])('%j (html: %s) → %j', (source, html, expected) => {
    expect(renderTemplate(parseTemplate(source), FACTS, field, html)).toBe(expected)
  })
})
