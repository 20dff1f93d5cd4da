// The read step of a page: cookie, context, consent, overrides, decide; each once, in this order.
import type { CompiledConfig } from '../config'
import { sanitizePreferences } from '../config'
import type { Facts } from '../context'
import { readCf, readContext } from '../context'
import { decide } from '../decide'
import { consentFor, consentRequestOf, pausedDecisions, signalFacts } from '../privacy'
import {
  applyPreview,
  applySimulation,
  PREVIEW_COOKIE,
  PREVIEW_PURPOSE,
  previewFromToken,
  readSimulation,
} from '../tooling'
import type { Keyring, VisitorRead } from '../visitor'
import { cookieValue, readVisitor, verifyToken } from '../visitor'
import { assignStep } from './bet'
import type { ActivePreview, LiveSite, Overrides, TailorState } from './state'
import { isOverridden } from './state'

/** After this long, a visitor whose cookie was first written earlier counts as returning. */
const RETURNING_AFTER_SECONDS = 30 * 60

/** Everything the read step needs, as values: no runtime, no Hono context. */
export type ReadInput = {
  request: Request
  /** This request's live config (`runtime.liveSite`), awaited once by the caller. */
  site: LiveSite
  /** The signing keys; undefined without a valid secret (cookies are then neither read nor written). */
  keyring: Keyring | undefined
  /** The request's clock, ms since the epoch. */
  now: number
  /** `npm run dev`: the simulator and explanations are on. */
  dev: boolean
  /** Only these context fields are read (a page: the site's `fields`); absent: all (centre, API). */
  fields?: ReadonlySet<string>
  /** The request's URL when the caller has parsed it already (else parsed here); only read. */
  url?: URL
}

/**
 * Read one request and decide every slot, in numbered steps. Undefined when no valid config is
 * live (every page then passes through). Never reads `request.cf`, consent or GPC twice.
 *
 * Steps 1–5 fill the `TailorState`; a later step goes where the comment in the body says (an
 * experiment's assignment comes after decide and may only read the state built before it).
 * @example
 * const state = await read({ request, site: await runtime.liveSite(request, env, now), keyring, now, dev: false })
 * state?.decisions.map((d) => d.variant?.id)
 */
export async function read(input: ReadInput): Promise<TailorState | undefined> {
  const { request, keyring, now, dev } = input
  const compiled = input.site.site
  if (!compiled) {
    return undefined
  }
  const { config } = compiled

  // 1. Cookie: the visitor's signed state. An invalid cookie counts exactly as an absent one.
  //    Without keys no cookie is read, and without a Cookie header there is none to verify.
  const cookies = keyring ? request.headers.get('cookie') : null
  const visitor =
    keyring && cookies !== null
      ? await readVisitor(cookies, { name: config.cookie.name, keyring, now })
      : ABSENT
  const stored = visitor.status === 'valid' ? visitor.visitor : undefined

  // 2. Context: `request.cf` is read here, once, for the facts and for consent.
  const geo = readCf(request)

  // 3. Consent and the browser's privacy signal (GPC, DNT), once, kept in the state.
  const asked = consentRequestOf(request.headers, geo)
  const consent = consentFor({ stored, ...asked }, config.consent)
  const base = readContext(
    {
      url: input.url ?? new URL(request.url),
      headers: request.headers,
      geo,
      now: new Date(now),
      prefs: stored ? sanitizePreferences(stored.prefs, config.preferences) : {},
      returning: stored !== undefined && now / 1000 - stored.created > RETURNING_AFTER_SECONDS,
      // Reading signals only with consent (src/privacy/consent.ts), decayed to now.
      signals: signalFacts(stored, consent, config, now),
      gpc: asked.gpc,
    },
    { locales: config.locales, fields: input.fields }
  )

  // 4. Overrides: the dev simulator and a preview link, one step.
  const overrides = await readOverrides(request, cookies, compiled, keyring, now, dev)
  const facts = applyOverrides(base, overrides)

  // 5. Decide. Paused by the visitor: every slot keeps the origin's content (a preview still applies).
  const { preview } = overrides
  const decided =
    stored?.paused && !preview
      ? pausedDecisions(decide(compiled, facts))
      : decide(compiled, facts, preview?.data.variants)

  // 6. Experiments: each tested slot's arm (sticky from the cookie, or drawn for this page view)
  //    overrides its decision; a holdout member's page has no personalisation at all.
  const { decisions, bet } = await assignStep({
    request,
    compiled,
    stored,
    consent,
    facts,
    decisions: decided,
    overridden: isOverridden(overrides),
    keyring,
    now,
  })

  return {
    compiled,
    config: input.site.live,
    keyring,
    visitor,
    consent,
    facts,
    decisions,
    explain: dev || preview !== undefined,
    simulation: overrides.simulation,
    preview,
    bet,
  }
}

/** Step 1's answer for a request without a visitor cookie, or without keys to read one. */
const ABSENT: VisitorRead = Object.freeze({ status: 'absent' })

/**
 * Step 4: the site owner's overrides. The simulator exists only in dev mode (in production its
 * parameter and header do nothing); a preview needs its signed cookie (in `cookies`, the
 * request's Cookie header) and a keyring.
 * @example await readOverrides(request, null, compiled, keyring, Date.now(), false) // { simulation: undefined, preview: undefined }
 */
export async function readOverrides(
  request: Request,
  cookies: string | null,
  compiled: CompiledConfig,
  keyring: Keyring | undefined,
  now: number,
  dev: boolean
): Promise<Overrides> {
  const simulation = dev ? readSimulation(request) : undefined
  const preview =
    keyring && cookies !== null ? await readPreview(cookies, keyring, compiled, now) : undefined
  return { simulation, preview }
}

/** The facts with the overrides applied: the simulation first, then the preview. */
function applyOverrides(facts: Facts, overrides: Overrides): Facts {
  let out = facts
  if (overrides.simulation) {
    out = applySimulation(out, overrides.simulation)
  }
  if (overrides.preview) {
    out = applyPreview(out, overrides.preview.data)
  }
  return out
}

async function readPreview(
  cookies: string,
  keyring: Keyring,
  compiled: CompiledConfig,
  now: number
): Promise<ActivePreview | undefined> {
  const value = cookieValue(cookies, PREVIEW_COOKIE)
  if (!value) {
    return undefined
  }
  const verified = await verifyToken(value, { purpose: PREVIEW_PURPOSE, keyring, now })
  if (!verified.ok) {
    return undefined
  }
  const data = previewFromToken(verified.data, compiled)
  return data && { data, expiresAt: verified.exp }
}
