// The closing line of test/summary-reporter.ts, read from vitest runs of a tiny fixture project.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve('test/fixtures/summary-reporter')

/** `vitest run` on the fixture project (only `files` when given): its exit code and last line. */
function runFixture(files: string[] = []) {
  const run = spawnSync(resolve('node_modules/.bin/vitest'), ['run', '--root', ROOT, ...files], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    timeout: 60_000,
  })
  const lines = `${run.stdout}`.trim().split('\n')
  return { status: run.status, line: lines.at(-1) }
}

describe('summary reporter', () => {
  it('counts the cases a timed-out beforeAll kept from running as failed, not skipped', () => {
    // Two cases blocked by the hook, one skipped on purpose there; one passes, one skipped beside.
    expect(runFixture(['hooks.fixture.ts'])).toEqual({
      status: 1,
      line: '1 passed, 2 failed, 2 skipped',
    })
  })

  it("counts a file-level hook's blocked case, an afterAll failure, and no case twice", () => {
    // hooks: 1 passed, 2 failed, 2 skipped; module-hook: 1 failed (its one blocked case, not
    // also its error); after: 1 passed, and the afterAll that threw once.
    expect(runFixture()).toEqual({ status: 1, line: '2 passed, 4 failed, 2 skipped' })
  })
})
