// Writes tailor.schema.json (JSON Schema of the config, for editor autocompletion) from the valibot schema.
import { toJsonSchema } from '@valibot/to-json-schema'
import { writeFileSync } from 'node:fs'
import { ConfigSchema } from '../src/config/schema'

/** The JSON Schema document for the config, as committed in tailor.schema.json. */
export function configJsonSchema(): string {
  const schema = toJsonSchema(ConfigSchema, { errorMode: 'ignore' })
  return `${JSON.stringify({ ...schema, title: 'Tailor config', $id: 'tailor.schema.json' }, null, 2)}\n`
}

if (process.argv[1]?.endsWith('emit-schema.ts')) {
  writeFileSync('tailor.schema.json', configJsonSchema())
  console.log('wrote tailor.schema.json')
}
