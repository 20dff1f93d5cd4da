// Prints the closing line CI reads: "N passed, N failed, N skipped".
import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>) {
    let passed = 0
    // Files that fail at import have no tests but do have errors: count them as failures.
    let failed = errors.length
    let skipped = 0
    for (const m of modules) {
      failed += m.errors().length
      for (const t of m.children.allTests()) {
        const s = t.result().state
        if (s === 'passed') {
          passed++
        } else if (s === 'failed') {
          failed++
        } else {
          skipped++
        }
      }
    }
    console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
  }
}
