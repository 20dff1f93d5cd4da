// The worker the workers tests run in: the page worker's entry (src/worker.ts) as the default
// export, the experiments' store, and the console worker as a named entrypoint the page worker's
// TAILOR_CONSOLE binding reaches (vitest.config.ts), as two deployed workers would.
import { WorkerEntrypoint } from 'cloudflare:workers'
import consoleWorker from '../../src/console'
import type { TailorBindings } from '../../src/env'

export { default } from '../../src/worker'
export { ExperimentStore } from '../../src/measure'

/** The console worker (src/console.ts) behind a service binding. */
export class TailorConsole extends WorkerEntrypoint<TailorBindings> {
  override fetch(request: Request): Response | Promise<Response> {
    return consoleWorker.fetch(request, this.env, this.ctx)
  }
}
