// .dev.vars, as .dev.vars.example says: both workers under `npm run dev` read its secrets, the
// admin token included (wrangler dev reads only declared secrets; it used to be ignored).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyProject } from './project'
import type { DevServer } from './wrangler'
import { startDev } from './wrangler'

const TOKEN = 'dev-vars-admin-token-0123456789'
let dir: string
let dev: DevServer | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailor-dev-vars-'))
  copyProject(dir)
  const example = await readFile(join(dir, '.dev.vars.example'), 'utf8')
  await writeFile(
    join(dir, '.dev.vars'),
    example
      .replace(/^TAILOR_SECRET=.*$/m, 'TAILOR_SECRET="k1:dev-vars-secret-0123456789abcdef"')
      .replace(/^TAILOR_ADMIN_TOKEN=.*$/m, `TAILOR_ADMIN_TOKEN="${TOKEN}"`)
  )
  // No secret in this process's environment: .dev.vars is the only source.
  for (const name of ['TAILOR_SECRET', 'TAILOR_ADMIN_TOKEN']) {
    Reflect.deleteProperty(process.env, name)
  }
  dev = await startDev([], undefined, {}, dir)
})

afterAll(async () => {
  await dev?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('.dev.vars under npm run dev', () => {
  it('gives the page worker its signing key: no warning in health', async () => {
    const health = (await (await fetch(`${dev?.url}/_tailor/health`)).json()) as {
      warnings?: string[]
    }
    expect(health.warnings ?? []).toEqual([])
  })

  it("gives the console worker the admin token: the report's JSON answers through the page worker", async () => {
    const res = await fetch(`${dev?.url}/_tailor/admin/experiments.json`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await res.json()).toHaveProperty('experiments')
    const wrong = await fetch(`${dev?.url}/_tailor/admin/experiments.json`, {
      headers: { authorization: 'Bearer not-the-token-0123456789' },
    })
    expect(wrong.status).toBe(401)
  })
})
