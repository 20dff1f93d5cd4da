// The visitor's JSON API under /_tailor/api: the same actions as the centre's forms, as JSON.
import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import type { CompiledConfig } from '../config'
import { sanitizePreferences } from '../config'
import type { ActionResult, CentreAction } from '../centre'
import { applyAction, pageToExplain, referrerKindOf } from '../centre'
import type { TailorEnv } from '../env'
import type { Runtime } from '../personalise'
import { read, readInputFor } from '../personalise'
import { readConsent } from '../privacy'
import type { VisitorState } from '../visitor'
import { currentScores } from '../visitor'
import { readLimited } from './body'
import { explainPage } from './explain'
import { countAction } from './experiments'
import { sameOrigin } from './same-origin'

/** Largest JSON body accepted, in bytes. */
export const MAX_JSON_BODY = 8 * 1024

const NOT_CONFIGURED = 'Tailor is not configured (see /_tailor/health).'

/** What the cookie holds and what it means for this request, as the API reports it. */
function summary(
  site: CompiledConfig,
  stored: VisitorState | undefined,
  request: Request,
  now: number
) {
  const { config } = site
  const consent = readConsent(stored, config, request)
  return {
    preferences: stored ? sanitizePreferences(stored.prefs, config.preferences) : {},
    paused: stored?.paused === true,
    consent: {
      answer: consent.answer,
      explicitRequired: consent.explicitRequired,
      privacySignal: consent.privacySignal ?? null,
      using: consent.use,
      recording: consent.record,
    },
    signals: currentScores(stored?.signals, now, config.signals.halfLifeDays),
  }
}

type Json = { ok: true; value: unknown } | { ok: false; response: Response }

/** The request's JSON body: Content-Type checked, at most MAX_JSON_BODY bytes, parsed. */
async function readJson(c: Context<TailorEnv>): Promise<Json> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(?:;|$)/i.test(type)) {
    return {
      ok: false,
      response: c.json({ error: 'Expected Content-Type: application/json.' }, 415),
    }
  }
  const body = await readLimited(c, MAX_JSON_BODY, (c) =>
    c.json({ error: `Expected a body of at most ${MAX_JSON_BODY} bytes.` }, 413)
  )
  if (!body.ok) {
    return body
  }
  try {
    return { ok: true, value: JSON.parse(body.text) }
  } catch {
    return { ok: false, response: c.json({ error: 'Expected a JSON object.', issues: [] }, 400) }
  }
}

/** One boolean field of a JSON object, or a 400 naming it. */
function booleanField(c: Context<TailorEnv>, body: unknown, name: string): boolean | Response {
  const value =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)[name]
      : undefined
  if (typeof value !== 'boolean') {
    const got = JSON.stringify(value) ?? 'nothing'
    return c.json(
      {
        error: `Expected {"${name}": true} or {"${name}": false}.`,
        issues: [{ path: name, message: `Expected true or false. Got ${got.slice(0, 60)}.` }],
      },
      400
    )
  }
  return value
}

/**
 * The visitor API, mounted at /_tailor/api. Every unsafe method refuses cross-site requests
 * (403); every answer is `Cache-Control: no-store` (set by the parent).
 * - GET /preferences: the cookie's state (`absent`/`valid`/`invalid`), preferences, pause,
 *   consent, signals, and the vocabulary.
 * - PUT /preferences: replace the preferences. DELETE /preferences: erase everything.
 * - PUT /pause `{"paused": true}`; PUT /consent `{"signals": true}`; DELETE /signals.
 * - GET /why?from=/path&ref=search: each block of that page, what it shows and why.
 * Writes answer with the new state and its Set-Cookie; a refused write sets nothing.
 */
export function createVisitorApi(runtime: Runtime) {
  const api = new Hono<TailorEnv>()
  api.use('*', sameOrigin())

  /** Run an action and answer with the new state, or the refusal. */
  async function answer(c: Context<TailorEnv>, action: CentreAction): Promise<Response> {
    const now = runtime.now()
    const { site } = await runtime.liveSite(c.req.raw, c.env, now)
    const keyring = await runtime.keyring(c.env)
    const result: ActionResult = await applyAction(
      { request: c.req.raw, site, keyring, now },
      action
    )
    if (!result.ok) {
      return c.json({ error: result.error, issues: result.issues }, result.status)
    }
    c.header('set-cookie', result.setCookie)
    countAction(c, result)
    if (!site) {
      // Only `erase` succeeds without a config.
      return c.json({ cookie: 'absent', preferences: {} })
    }
    return c.json({
      cookie: result.visitor ? 'valid' : 'absent',
      ...summary(site, result.visitor, c.req.raw, now),
    })
  }

  api.get('/preferences', async (c) => {
    const now = runtime.now()
    const live = await runtime.liveSite(c.req.raw, c.env, now)
    const state = await read(await readInputFor(runtime, c.req.raw, c.env, live, now))
    if (!state) {
      return c.json({ error: NOT_CONFIGURED }, 503)
    }
    const stored = state.visitor.status === 'valid' ? state.visitor.visitor : undefined
    return c.json({
      cookie: state.visitor.status,
      ...summary(state.compiled, stored, c.req.raw, now),
      vocabulary: state.compiled.config.preferences,
    })
  })

  api.put('/preferences', async (c) => {
    const body = await readJson(c)
    return body.ok ? answer(c, { type: 'preferences', input: body.value }) : body.response
  })

  api.delete('/preferences', (c) => answer(c, { type: 'erase' }))

  api.put('/pause', async (c) => {
    const body = await readJson(c)
    if (!body.ok) {
      return body.response
    }
    const paused = booleanField(c, body.value, 'paused')
    return typeof paused === 'boolean' ? answer(c, { type: 'pause', paused }) : paused
  })

  api.put('/consent', async (c) => {
    const body = await readJson(c)
    if (!body.ok) {
      return body.response
    }
    const signals = booleanField(c, body.value, 'signals')
    return typeof signals === 'boolean' ? answer(c, { type: 'consent', signals }) : signals
  })

  api.delete('/signals', (c) => answer(c, { type: 'clear-signals' }))

  api.put('/tests', async (c) => {
    const body = await readJson(c)
    if (!body.ok) {
      return body.response
    }
    const agreed = booleanField(c, body.value, 'agreed')
    return typeof agreed === 'boolean' ? answer(c, { type: 'tests', agreed }) : agreed
  })

  api.get('/why', async (c) => {
    const from = pageToExplain(c.req.query('from'))
    if (!from) {
      return c.json({ error: 'Expected ?from= with a path of this site, such as /cycling/.' }, 400)
    }
    const now = runtime.now()
    const live = await runtime.liveSite(c.req.raw, c.env, now)
    const why = await explainPage(
      runtime,
      c.req.raw,
      c.env,
      live,
      now,
      from,
      referrerKindOf(c.req.query('ref'))
    )
    if (!why) {
      return c.json({ error: NOT_CONFIGURED }, 503)
    }
    return c.json({
      from: why.from,
      paused: why.paused,
      slots: why.rows,
    })
  })

  return api
}
