// The one explicit environment type: Worker bindings and the values Tailor puts on the context.
import type { CompiledConfig, LiveConfig } from './config'
import type { Facts } from './context'
import type { Decision } from './decide'
import type { ActivePreview } from './runtime'
import type { Simulation } from './tooling'
import type { Keyring, VisitorRead } from './visitor'

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
}

/** What Tailor knows about the current request, for routes that explain or show it. */
export type TailorState = {
  /** The site's config (its `hosts` entry when the hostname has one). */
  compiled: CompiledConfig
  /** The live config as loaded, with its source and revision. */
  config: LiveConfig
  keyring: Keyring | undefined
  visitor: VisitorRead
  facts: Facts
  decisions: Decision[]
  /** Explanations are on (dev mode or an active preview), never in normal production. */
  explain: boolean
  /** The dev-mode simulation applied, if any. */
  simulation: Simulation | undefined
  /** The preview link in force, if any. */
  preview: ActivePreview | undefined
}

export type TailorVariables = {
  tailor?: TailorState
  /** Set before the origin is fetched: cookies of Tailor's never to forward to the origin. */
  tailorCookies?: readonly string[]
  /** Set before the origin is fetched: this host's origin from the config, overriding ORIGIN. */
  tailorOrigin?: string
  /**
   * Set before the origin is fetched, on a conditional GET whose page this visitor gets edits
   * on: the origin is asked for the whole page, never a 304 (docs/operating.md).
   */
  tailorDropConditions?: boolean
}

export type TailorEnv = { Bindings: TailorBindings; Variables: TailorVariables }

/** `ctx.waitUntil`: work that may finish after the response is sent. */
export type WaitUntil = (promise: Promise<unknown>) => void
