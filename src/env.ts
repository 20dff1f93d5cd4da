// The one explicit environment type: Worker bindings and the values Tailor puts on the context.
import type { CompiledConfig } from './config'
import type { Facts } from './context'
import type { Decision } from './decide'
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
}

/** What Tailor knows about the current request, for routes that explain or show it. */
export type TailorState = {
  compiled: CompiledConfig
  keyring: Keyring | undefined
  visitor: VisitorRead
  facts: Facts
  decisions: Decision[]
}

export type TailorVariables = { tailor?: TailorState }

export type TailorEnv = { Bindings: TailorBindings; Variables: TailorVariables }
