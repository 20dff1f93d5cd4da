// The committed JSON Schema (editor autocompletion) must match the valibot schema it comes from.
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { configJsonSchema } from '../../scripts/emit-schema'

it('tailor.schema.json is up to date (run `npm run schema` after changing src/config/schema.ts)', () => {
  expect(readFileSync('tailor.schema.json', 'utf8')).toBe(configJsonSchema())
})
