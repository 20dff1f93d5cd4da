// docs/config.md is generated from the schema: it must match it, and every field must say what it is.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONFIG_DOC, configDocs, configFields, schemaSource } from '../../scripts/emit-docs'

const source = schemaSource()

describe('docs/config.md', () => {
  it('is up to date (run `npm run docs` after changing src/config/schema.ts)', () => {
    expect(readFileSync(CONFIG_DOC, 'utf8')).toBe(configDocs(source))
  })

  it('gives every field a meaning (a doc comment in src/config/schema.ts)', () => {
    const silent = configFields(source).filter((f) => !f.meaning)
    expect(silent.map((f) => f.path)).toEqual([])
  })

  it('names every top-level field, with its default', () => {
    const doc = configDocs(source)
    for (const key of ['version', 'locales', 'slots', 'cookie', 'cache', 'hosts', 'consent']) {
      expect(doc).toContain(`## \`${key}\``)
    }
    expect(doc).toContain('**`cookie.maxAgeDays`** · integer (1–400) · default `180`.')
  })

  it('goes stale when a comment changes', () => {
    const changed = source.replace('Lifetime in days', 'How long it lives in days')
    expect(changed).not.toBe(source)
    expect(configDocs(changed)).not.toBe(readFileSync(CONFIG_DOC, 'utf8'))
  })
})
