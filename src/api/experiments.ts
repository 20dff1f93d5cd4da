// The experiments' routes: click pings, event goals, "include me in tests", leaving a test, totals.
import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import type { ActionResult } from '../centre'
import type { CompiledConfig } from '../config'
import type { TailorEnv } from '../env'
import type { Counted, StoredBets } from '../experiments'
import { betsOf, convertEvent, leave, readPing, testsConsentFor, testsView } from '../experiments'
import { batcher } from '../measure'
import type { Runtime } from '../personalise'
import { read, readInputFor } from '../personalise'
import type { Facts } from '../context'
import type { VisitorRead, VisitorState } from '../visitor'
import { readVisitor, writeVisitor } from '../visitor'
import { countSinkOf } from '../middleware/execution'
import { sameOrigin } from './same-origin'

/** The state with the assignments an action left. */
function withNext(stored: VisitorState, next: StoredBets): VisitorState {
  const out: VisitorState = { ...stored, experiments: next.experiments }
  if (next.holdout) {
    out.holdout = next.holdout
  } else {
    delete out.holdout
  }
  return out
}

/**
 * Apply a change to the visitor's assignments (an event goal, leaving a test) and count it: the
 * increments go to the store, the new cookie to the response. Undefined when nothing changed.
 */
async function changeBets(
  c: Context<TailorEnv>,
  runtime: Runtime,
  change: (site: CompiledConfig, bets: StoredBets | undefined) => Counted
): Promise<{ counted: number; setCookie?: string } | Response> {
  const now = runtime.now()
  const { site } = await runtime.liveSite(c.req.raw, c.env, now)
  const keys = await runtime.keyring(c.env)
  if (!site || !keys.ok) {
    return c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)
  }
  const { cookie } = site.config
  const read = await readVisitor(c.req.header('cookie') ?? null, {
    name: cookie.name,
    keyring: keys.keyring,
    now,
  })
  const stored = read.status === 'valid' ? read.visitor : undefined
  const result = change(site, betsOf(stored))
  if (!stored || !result.next) {
    return { counted: 0 }
  }
  const sink = countSinkOf(c)
  if (sink && result.increments.length) {
    batcher.add(result.increments, sink)
  }
  const setCookie = await writeVisitor(withNext(stored, result.next), {
    ...cookie,
    keyring: keys.keyring,
    now,
  })
  return { counted: result.increments.length, setCookie }
}

/** The routes, mounted under /_tailor. */
export function createExperimentRoutes(runtime: Runtime) {
  const app = new Hono<TailorEnv>()

  // A click on a link inside a tested block (the `ping` attribute). The token, signed and
  // short-lived, is the whole claim; a replayed one counts once (the store keeps its nonce).
  app.post('/ping/:token', async (c) => {
    const now = runtime.now()
    const { site } = await runtime.liveSite(c.req.raw, c.env, now)
    const keys = await runtime.keyring(c.env)
    const sink = countSinkOf(c)
    const inc =
      site && keys.ok
        ? await readPing(c.req.param('token'), site.experiments, keys.keyring, now)
        : undefined
    if (inc && sink) {
      batcher.add([inc], sink)
    }
    return c.body(null, inc ? 204 : 400)
  })

  // Event goals, for the site's own scripts and forms: same origin only.
  app.use('/api/goals/*', sameOrigin())
  app.post('/api/goals/:id', async (c) => {
    const id = c.req.param('id')
    const done = await changeBets(c, runtime, (site, bets) =>
      convertEvent(site.experiments, site.holdout, bets, id)
    )
    if (done instanceof Response) {
      return done
    }
    if (done.setCookie) {
      c.header('set-cookie', done.setCookie)
    }
    return c.json({ counted: done.counted })
  })

  // Leave a test: the slot's normal decision from now on, no more counting, one `left` count.
  app.use('/api/tests/*', sameOrigin())
  app.delete('/api/tests/:id', async (c) => {
    const id = c.req.param('id')
    const done = await changeBets(c, runtime, (site, bets) => leave(site.experiments, bets, id))
    if (done instanceof Response) {
      return done
    }
    if (done.setCookie) {
      c.header('set-cookie', done.setCookie)
    }
    return c.json({ left: done.setCookie !== undefined })
  })

  // What the visitor's cookie says about tests: the same as the centre's section.
  app.get('/api/tests', async (c) => {
    const now = runtime.now()
    const live = await runtime.liveSite(c.req.raw, c.env, now)
    const state = await read(await readInputFor(runtime, c.req.raw, c.env, live, now))
    if (!state) {
      return c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)
    }
    return c.json(testsJson(state.compiled, state.visitor, state.consent, state.facts))
  })

  return app
}

/** The tests part of the visitor API and the centre: the consent answer, the list, the notice. */
export function testsJson(
  site: CompiledConfig,
  visitor: VisitorRead,
  consent: { privacySignal: unknown },
  facts: Facts
) {
  const stored = visitor.status === 'valid' ? visitor.visitor : undefined
  const tests = testsConsentFor(
    { stored, eu: facts.eu, country: facts.country, privacySignal: consent.privacySignal != null },
    { tests: site.config.consent.tests, explicitIn: site.config.consent.explicitIn }
  )
  const view = testsView(site.experiments, betsOf(stored), facts, site.holdout)
  return {
    answer: tests.answer,
    explicitRequired: tests.explicitRequired,
    included: tests.allowed,
    tests: view.tests,
    pageviewTests: view.pageviewTests,
    ...(view.holdout ? { holdout: view.holdout } : {}),
  }
}

/** Count what an action added (leaving a test adds one `left`). */
export function countAction(c: Context<TailorEnv>, result: ActionResult): void {
  const sink = countSinkOf(c)
  if (result.ok && result.increments?.length && sink) {
    batcher.add(result.increments, sink)
  }
}
