// The one explicit environment type: Worker bindings and the values Tailor puts on the context.
// Type-only, from the file itself (not the folder's door): the state is a type of the hallway.
import type { LiveSite, TailorState } from './personalise/state'
import type { ExperimentStore } from './measure'

export type TailorBindings = {
  /** The site Tailor fronts, e.g. "https://www.example.com". Empty or absent: the demo site. */
  ORIGIN?: string
  /** Signing keys: "kid:secret" entries, comma-separated; the first signs (wrangler secret put). */
  TAILOR_SECRET?: string
  /** "dev" only under `npm run dev`: allows a public development key when no secret is set. */
  TAILOR_MODE?: string
  /** Workers Static Assets holding the embedded demo site. */
  ASSETS?: Fetcher
  /** Optional Workers KV namespace holding a hot-updatable config under the key "config". */
  TAILOR_CONFIG?: KVNamespace
  /** Bearer token for /_tailor/admin/* (preview links); admin is off without it. */
  TAILOR_ADMIN_TOKEN?: string
  /** The experiments' counts: one Durable Object per experiment (docs/experiments.md). */
  TAILOR_EXPERIMENTS?: DurableObjectNamespace<ExperimentStore>
  /**
   * The console worker (wrangler.console.toml): the page worker hands it every `/_tailor/*`
   * request but health. Absent when everything runs in one worker (`createApp`, `tailor()`).
   */
  TAILOR_CONSOLE?: Fetcher
  /** Optional: the same events in Workers Analytics Engine (sampled). */
  TAILOR_ANALYTICS?: AnalyticsEngineDataset
}

export type TailorVariables = {
  tailor?: TailorState
  /**
   * Set by `tailor()` before the origin is fetched: this request's live config, the one the page
   * is personalised with. `origin()` takes the cookies never to forward, the host's origin and
   * the cache options from it.
   */
  tailorSite?: LiveSite
  /**
   * Set before the origin is fetched, on a conditional GET whose page this visitor gets edits
   * on: the origin is asked for the whole page, never a 304 (docs/operating.md).
   */
  tailorDropConditions?: boolean
  /**
   * Set by `tailor()` on a page: the request's URL, parsed once for the read step, `origin()`
   * and the respond step. Only read, never changed.
   */
  tailorUrl?: URL
}

export type TailorEnv = { Bindings: TailorBindings; Variables: TailorVariables }

/** `ctx.waitUntil`: work that may finish after the response is sent. */
export type WaitUntil = (promise: Promise<unknown>) => void
