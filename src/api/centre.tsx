// The preference centre's routes: the page (GET /_tailor/) and its forms (POST, then 303 back).
import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import type { FC } from 'hono/jsx'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import type { CentreAction, CentreInput, Flash } from '../centre'
import {
  afterAction,
  applyAction,
  CENTRE_PATH,
  CentrePage,
  centreView,
  flashOf,
  pageToExplain,
  preferencesFromForm,
  referrerKindOf,
  returnTo,
} from '../centre'
import type { ConfigIssue } from '../config'
import type { TailorEnv } from '../env'
import type { Runtime } from '../personalise'
import { read, readInputFor } from '../personalise'
import { readLimited } from './body'
import { explainPage } from './explain'
import { crossSiteReason, missingSourceReason } from './same-origin'
import { TAILOR_SECURE_HEADERS } from './security'

/** Largest form body accepted, in bytes: room for every field at its limit, and no more. */
export const MAX_FORM_BODY = 16 * 1024

type CentreEnv = TailorEnv & { Variables: { secureHeadersNonce?: string } }
type C = Context<CentreEnv>

/**
 * Strict headers for the centre's HTML (hono/secure-headers): nothing loads but the inline
 * stylesheet (by nonce) and images from this site (the logo, or its https origin), forms post
 * only here, and no other site may frame the page.
 */
function centreHeaders(logo: string | undefined): MiddlewareHandler {
  const imgSrc = ["'self'"]
  if (logo?.startsWith('https://')) {
    imgSrc.push(new URL(logo).origin)
  }
  return secureHeaders({
    ...TAILOR_SECURE_HEADERS,
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [NONCE],
      imgSrc,
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  })
}

/** A whole HTML document from a JSX element. */
async function htmlDocument(
  c: C,
  node: { toString(): string | Promise<string> },
  status: 200 | 400 | 403 | 413 | 415 | 503
) {
  return c.html(`<!doctype html>${await node.toString()}`, status)
}

const Message: FC<{ title: string; nonce: string; text: string }> = ({ title, nonce, text }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <style nonce={nonce}>
        {
          'body { font: 16px/1.55 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }'
        }
      </style>
    </head>
    <body>
      <main>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href={CENTRE_PATH}>Go to your personalisation settings</a>
        </p>
      </main>
    </body>
  </html>
)

type Render = Pick<CentreInput, 'flash' | 'alert' | 'issues' | 'submitted'> & {
  /** The centre URL the page is for (its `from` and `ref`). */
  self: string
}

/**
 * The centre's routes, mounted at /_tailor by `createRoutes`.
 * - GET /_tailor/ (and /_tailor, redirected): the page; `?from=/path&ref=kind` adds "why this
 *   page looks as it does"; `?done=saved` (one of a fixed set) shows what the last form did.
 * - POST /_tailor/preferences, /pause, /consent, /signals/clear, /erase: forms
 *   (`application/x-www-form-urlencoded`), refused when cross-site (403), then `303 See Other` to
 *   `return_to` (same-origin paths only; default /_tailor/). A refused value re-renders the page
 *   with 400 and the message by the field: nothing is saved.
 */
export function createCentreRoutes(runtime: Runtime) {
  const app = new Hono<CentreEnv>()

  // One secure-headers middleware per logo: the logo (its CSP origin) may change with a KV config.
  const headersByLogo = new Map<string, MiddlewareHandler>()
  const secured: MiddlewareHandler<CentreEnv> = async (c, next) => {
    const live = await runtime.liveSite(c.req.raw, c.env, runtime.now()).catch(() => undefined)
    const logo = live?.site?.config.brand.logo ?? ''
    let headers = headersByLogo.get(logo)
    if (!headers) {
      headers = centreHeaders(logo || undefined)
      if (headersByLogo.size < 20) {
        headersByLogo.set(logo, headers)
      }
    }
    return headers(c, next)
  }

  async function renderCentre(c: C, status: 200 | 400 | 413 | 503, render: Render) {
    const now = runtime.now()
    const nonce = c.get('secureHeadersNonce') ?? ''
    const live = await runtime.liveSite(c.req.raw, c.env, now)
    const state = await read(await readInputFor(runtime, c.req.raw, c.env, live, now))
    const site = live.site
    if (!site || !state) {
      const text = 'Personalisation is not set up on this site at the moment, so nothing is used.'
      return htmlDocument(c, <Message title="Not available" nonce={nonce} text={text} />, 503)
    }
    const url = new URL(render.self, c.req.url)
    const fromParam = url.searchParams.get('from')
    const from = pageToExplain(fromParam)
    const ref = referrerKindOf(url.searchParams.get('ref'))
    const why = from
      ? await explainPage(runtime, c.req.raw, c.env, live, now, from, ref)
      : undefined
    // Forms come back here: with the page explained, and nothing else from the query.
    const self = from
      ? `${CENTRE_PATH}?${new URLSearchParams(ref ? { from, ref } : { from })}`
      : CENTRE_PATH
    const keys = await runtime.keyring(c.env)
    const props = centreView({
      site,
      visitor: state.visitor,
      facts: why?.state.facts ?? state.facts,
      request: c.req.raw,
      now,
      nonce,
      self,
      canSave: keys.ok,
      why,
      whyRefused: fromParam !== null && !from,
      flash: render.flash,
      alert: render.alert,
      issues: render.issues,
      submitted: render.submitted,
    })
    return htmlDocument(c, <CentrePage {...props} />, status)
  }

  /** The centre URL to come back to: `return_to` when it is the centre, else the bare centre. */
  function centreSelf(target: string): string {
    const url = new URL(target, 'https://tailor.invalid')
    if (url.pathname !== CENTRE_PATH) {
      return CENTRE_PATH
    }
    url.searchParams.delete('done')
    return `${url.pathname}${url.search}`
  }

  app.get('/', secured, (c) => {
    const url = new URL(c.req.url)
    if (url.pathname !== CENTRE_PATH) {
      // /_tailor without its slash: one address for the page, so forms and flashes agree.
      return c.redirect(`${CENTRE_PATH}${url.search}`, 308)
    }
    url.searchParams.delete('done')
    return renderCentre(c, 200, {
      self: `${CENTRE_PATH}${url.search}`,
      flash: flashOf(c.req.query('done')),
    })
  })

  /**
   * One form: checks (cross-site, type, size), then `toAction` reads the fields. An action that
   * succeeds redirects; one refused re-renders the page.
   */
  function form(
    toAction: (form: URLSearchParams) => CentreAction | { refused: string },
    flash: (action: CentreAction) => Flash
  ) {
    return async (c: C) => {
      const nonce = c.get('secureHeadersNonce') ?? ''
      const reason = crossSiteReason(c.req.raw) ?? missingSourceReason(c.req.raw)
      if (reason) {
        const text = `This form must be sent from this site’s own settings page. Nothing was changed.`
        return htmlDocument(c, <Message title="Refused" nonce={nonce} text={text} />, 403)
      }
      const type = c.req.header('content-type') ?? ''
      if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) {
        const text = 'Expected a form (application/x-www-form-urlencoded). Nothing was changed.'
        return htmlDocument(c, <Message title="Not a form" nonce={nonce} text={text} />, 415)
      }
      const body = await readLimited(c, MAX_FORM_BODY, () => {
        const text = 'That form was too large. Nothing was changed.'
        return htmlDocument(c, <Message title="Too large" nonce={nonce} text={text} />, 413)
      })
      if (!body.ok) {
        return body.response
      }
      const fields = new URLSearchParams(body.text)
      const target = returnTo(fields.get('return_to'))
      const self = centreSelf(target)
      const action = toAction(fields)
      if ('refused' in action) {
        return renderCentre(c, 400, { self, alert: action.refused })
      }
      const now = runtime.now()
      const live = await runtime.liveSite(c.req.raw, c.env, now)
      const keyring = await runtime.keyring(c.env)
      const result = await applyAction(
        { request: c.req.raw, site: live.site, keyring, now },
        action
      )
      if (!result.ok) {
        const issues: readonly ConfigIssue[] = result.issues
        return renderCentre(c, result.status, {
          self,
          alert: result.status === 400 ? undefined : result.error,
          issues,
          submitted:
            action.type === 'preferences' ? (action.input as Record<string, unknown>) : undefined,
        })
      }
      c.header('set-cookie', result.setCookie)
      // 303: the browser follows with a GET, so a reload never sends the form again (PRG).
      return c.redirect(afterAction(target, flash(action)), 303)
    }
  }

  app.post('/preferences', secured, async (c) => {
    const live = await runtime.liveSite(c.req.raw, c.env, runtime.now())
    return form(
      (fields) => ({
        type: 'preferences',
        input: preferencesFromForm(fields, live.site?.config.preferences ?? {}),
      }),
      () => 'saved'
    )(c)
  })

  app.post(
    '/pause',
    secured,
    form(
      (fields) => {
        const value = fields.get('paused')
        return value === 'true' || value === 'false'
          ? { type: 'pause', paused: value === 'true' }
          : { refused: 'Choose to pause or to resume. Nothing was changed.' }
      },
      (action) => (action.type === 'pause' && action.paused ? 'paused' : 'resumed')
    )
  )

  app.post(
    '/consent',
    secured,
    form(
      (fields) => {
        const value = fields.get('signals')
        return value === 'on' || value === 'off'
          ? { type: 'consent', signals: value === 'on' }
          : { refused: 'Choose to turn reading signals on or off. Nothing was changed.' }
      },
      (action) =>
        action.type === 'consent' && action.signals ? 'consent-granted' : 'consent-withdrawn'
    )
  )

  app.post(
    '/signals/clear',
    secured,
    form(
      () => ({ type: 'clear-signals' }),
      () => 'signals-cleared'
    )
  )

  app.post(
    '/erase',
    secured,
    form(
      () => ({ type: 'erase' }),
      () => 'erased'
    )
  )

  return app
}
