// What one request's read step learned, handed to the respond step (and to routes that explain it).
import type { CompiledConfig, LiveConfig } from '../config'
import type { Facts } from '../context'
import type { Decision } from '../decide'
import type { ConsentState } from '../privacy'
import type { BetState } from './bet'
import type { PreviewData, Simulation } from '../tooling'
import type { Keyring, VisitorRead } from '../visitor'

/** A signed preview in force for this request. */
export type ActivePreview = { data: PreviewData; expiresAt: number }

/** The site owner's overrides of a request's facts: the dev simulator and a preview link. */
export type Overrides = {
  /** The dev-mode simulation (`?tailor-sim=`, `x-tailor-sim`), if any; never in production. */
  simulation: Simulation | undefined
  /** The preview link in force (its own signed cookie), if any. */
  preview: ActivePreview | undefined
}

/** The live config of one request and this host's site in it; read once per request. */
export type LiveSite = {
  /** The live config as loaded, with its source and revision. */
  live: LiveConfig
  /** The host's compiled config (its `hosts` entry, else the whole); undefined when invalid. */
  site: CompiledConfig | undefined
}

/** What Tailor knows about the current request, for the respond step and the routes that explain it. */
export type TailorState = {
  /** The site's config (its `hosts` entry when the hostname has one). */
  compiled: CompiledConfig
  /** The live config as loaded, with its source and revision. */
  config: LiveConfig
  keyring: Keyring | undefined
  visitor: VisitorRead
  /** Consent and the browser's privacy signal (GPC, DNT) for this request, computed once. */
  consent: ConsentState
  /**
   * On a page (outside dev mode), only the context fields the site's rules, templates and "why"
   * links name are read (`CompiledConfig.fields`); the centre and the API read them all.
   */
  facts: Facts
  decisions: Decision[]
  /** Explanations are on (dev mode or an active preview), never in normal production. */
  explain: boolean
  /** The dev-mode simulation applied, if any. */
  simulation: Simulation | undefined
  /** The preview link in force, if any. */
  preview: ActivePreview | undefined
  /** The experiments this page takes part in (read step 6); undefined when there are none. */
  bet?: BetState | undefined
}

/**
 * Whether the site owner's overrides shaped this page, so it is not the visitor's own reading: a
 * preview, or a simulation that forced a field or reported a problem.
 * @example isOverridden({ simulation: undefined, preview: undefined }) // false
 */
export function isOverridden(overrides: Overrides): boolean {
  const { simulation } = overrides
  const simulated =
    simulation !== undefined &&
    (Object.keys(simulation.overrides).length > 0 || simulation.issues.length > 0)
  return simulated || overrides.preview !== undefined
}
