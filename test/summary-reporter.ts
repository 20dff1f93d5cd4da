// Prints the closing line CI reads: "N passed, N failed, N skipped".
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node'

/**
 * The line's counts. A case that a failed hook kept from running (a `beforeAll` that threw or
 * timed out in its suite or file) counts as failed, not skipped: vitest marks it skipped, but it
 * was meant to run and did not pass. Only cases skipped on purpose (`.skip`, `.todo`, a `-t`
 * filter) count as skipped. A suite's or file's errors that kept no case from running (an
 * `afterAll` that threw, an import that failed) count once each, as do the run's unhandled errors.
 * @example summarise(modules, errors) // { passed: 2, failed: 4, skipped: 2 }
 */
export function summarise(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
  let passed = 0
  let failed = errors.length
  let skipped = 0
  const blocking = new Set<TestSuite | TestModule>()
  for (const m of modules) {
    for (const holder of [m, ...m.children.allSuites()]) {
      if (holder.errors().length) {
        blocking.add(holder)
      }
    }
  }
  const blocked = new Set<TestSuite | TestModule>()
  const blockedBy = (t: TestCase): TestSuite | TestModule | undefined => {
    for (let p: TestSuite | TestModule = t.parent; ; p = p.parent) {
      if (blocking.has(p)) {
        return p
      }
      if (p.type === 'module') {
        return undefined
      }
    }
  }
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const s = t.result().state
      const meant = t.options.mode === 'run' || t.options.mode === 'only'
      const holder = s === 'passed' || s === 'failed' || !meant ? undefined : blockedBy(t)
      if (s === 'passed') {
        passed++
      } else if (s === 'failed' || holder) {
        failed++
        if (holder) {
          blocked.add(holder)
        }
      } else {
        skipped++
      }
    }
  }
  for (const holder of blocking) {
    if (!blocked.has(holder)) {
      failed += holder.errors().length
    }
  }
  return { passed, failed, skipped }
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
    const { passed, failed, skipped } = summarise(modules, errors)
    console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
  }
}
