// The experiments report for site owners: login, the list, one experiment, and the JSON and CSV exports.
import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import { centreStyles } from '../centre'
import type { TailorEnv } from '../env'
import { HOLDOUT_ID } from '../experiments'
import type { ExperimentStore } from '../measure'
import { batcher } from '../measure'
import {
  ExperimentPage,
  experimentCsv,
  exportTotals,
  ListPage,
  LOGIN_PATH,
  LoginPage,
  readReports,
  REPORT_CSS,
  REPORT_PATH,
} from '../report'
import type { Runtime } from '../personalise'
import { signToken, verifyToken } from '../visitor'
import { MIN_TOKEN_LENGTH, tokenMatches } from './admin'
import { readLimited } from './body'
import { crossSiteReason } from './same-origin'

type ReportEnv = TailorEnv & { Variables: { secureHeadersNonce?: string } }
type C = Context<ReportEnv>

/** The admin session cookie's purpose in the token machinery: it verifies for nothing else. */
export const ADMIN_PURPOSE = 'admin-session'
/** How long a sign-in lasts, in seconds. */
export const ADMIN_SESSION_SECONDS = 3600
const ADMIN_PATH = '/_tailor/admin'

/** `__Secure-` needs https (RFC 6265bis §4.1.3.1); plain http (local dev) gets the bare name. */
const cookieName = (url: string) =>
  url.startsWith('https:') ? '__Secure-tailor-admin' : 'tailor-admin'

function sessionCookie(url: string, value: string, maxAge: number): string {
  const secure = url.startsWith('https:') ? '; Secure' : ''
  return `${cookieName(url)}=${value}; Path=${ADMIN_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) {
      return v.join('=')
    }
  }
  return undefined
}

/** A short fingerprint of the admin token: a new token signs everyone out. */
async function tokenTag(token: string): Promise<string> {
  const hash = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`tailor-admin:${token}`)
  )
  return [...new Uint8Array(hash).slice(0, 9)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const headers = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  xFrameOptions: 'DENY',
  strictTransportSecurity: false,
})

/**
 * The report's routes, mounted at /_tailor:
 * - GET /admin/login (form), POST /admin/login (token → session cookie), POST /admin/logout;
 * - GET /admin/experiments, /admin/experiments/:id: the pages (cookie or Bearer);
 * - GET /admin/experiments.json, /admin/experiments/:id.csv: exports (Bearer or cookie).
 */
export function createReportRoutes(runtime: Runtime) {
  const app = new Hono<ReportEnv>()

  const adminToken = (c: C) => {
    const t = c.env?.TAILOR_ADMIN_TOKEN
    return t && t.length >= MIN_TOKEN_LENGTH ? t : undefined
  }

  async function css(c: C): Promise<string> {
    const live = await runtime.live(c.env, Date.now())
    const brand = live.compiled?.config.brand ?? {
      accent: '#2557a7',
      background: '#ffffff',
      text: '#1f2328',
    }
    return centreStyles(brand) + REPORT_CSS
  }

  async function page(c: C, node: { toString(): string | Promise<string> }, status = 200) {
    c.header('x-robots-tag', 'noindex')
    return c.html(`<!doctype html>${await node.toString()}`, status as 200)
  }

  /** Whether the request carries the admin token (Bearer) or a valid session cookie. */
  async function signedIn(c: C, token: string): Promise<boolean> {
    const bearer = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim()
    if (bearer) {
      return tokenMatches(bearer, token)
    }
    const value = readCookie(c.req.header('cookie'), cookieName(c.req.url))
    const keys = value ? await runtime.keyring(c.env) : undefined
    if (!value || !keys?.ok) {
      return false
    }
    const verified = await verifyToken(value, {
      purpose: ADMIN_PURPOSE,
      keyring: keys.keyring,
      now: Date.now(),
    })
    return verified.ok && (await tokenMatches(String(verified.data), await tokenTag(token)))
  }

  /** Pages send a browser to the login form; exports answer 401 for scripts. */
  const guard =
    (kind: 'page' | 'export'): MiddlewareHandler<ReportEnv> =>
    async (c, next) => {
      const token = adminToken(c)
      if (!token) {
        return c.json(
          { error: 'Admin is off: set the TAILOR_ADMIN_TOKEN secret (16+ characters).' },
          503
        )
      }
      if (await signedIn(c, token)) {
        return next()
      }
      if (kind === 'page') {
        return c.redirect(LOGIN_PATH, 303)
      }
      c.header('www-authenticate', 'Bearer realm="tailor-admin"')
      return c.json({ error: 'Expected Authorization: Bearer <TAILOR_ADMIN_TOKEN>.' }, 401)
    }

  async function load(c: C, ids?: string[]) {
    const live = await runtime.live(c.env, Date.now())
    if (!live.compiled) {
      return undefined
    }
    const store = (c.env as { TAILOR_EXPERIMENTS?: DurableObjectNamespace<ExperimentStore> })
      .TAILOR_EXPERIMENTS
    return { compiled: live.compiled, reports: await readReports(live.compiled, store, ids) }
  }

  const notConfigured = (c: C) =>
    c.json({ error: 'Tailor is not configured (see /_tailor/health).' }, 503)

  app.get('/admin/login', headers, async (c) => {
    const nonce = c.get('secureHeadersNonce') ?? ''
    return page(c, <LoginPage nonce={nonce} css={await css(c)} />)
  })

  app.post('/admin/login', headers, async (c) => {
    const nonce = c.get('secureHeadersNonce') ?? ''
    const refuse = async (error: string, status: number) =>
      page(c, <LoginPage nonce={nonce} css={await css(c)} error={error} />, status)
    if (crossSiteReason(c.req.raw)) {
      return refuse('Sign in from this site’s own login page.', 403)
    }
    const token = adminToken(c)
    const keys = await runtime.keyring(c.env)
    if (!token || !keys.ok) {
      return refuse('Admin is off: set TAILOR_ADMIN_TOKEN (16+ characters) and TAILOR_SECRET.', 503)
    }
    const body = await readLimited(c, 4096, () => refuse('That form was too large.', 413))
    if (!body.ok) {
      return body.response
    }
    const presented = new URLSearchParams(body.text).get('token')
    if (!presented || !(await tokenMatches(presented, token))) {
      return refuse('That token is not right. Check it and try again.', 401)
    }
    const session = await signToken(await tokenTag(token), {
      purpose: ADMIN_PURPOSE,
      keyring: keys.keyring,
      now: Date.now(),
      ttlSeconds: ADMIN_SESSION_SECONDS,
    })
    c.header('set-cookie', sessionCookie(c.req.url, session, ADMIN_SESSION_SECONDS))
    return c.redirect(REPORT_PATH, 303)
  })

  app.post('/admin/logout', (c) => {
    if (crossSiteReason(c.req.raw)) {
      return c.json({ error: 'Cross-site request refused.' }, 403)
    }
    c.header('set-cookie', sessionCookie(c.req.url, '', 0))
    return c.redirect(LOGIN_PATH, 303)
  })

  app.get('/admin/experiments.json', guard('export'), async (c) => {
    const loaded = await load(c)
    if (!loaded) {
      return notConfigured(c)
    }
    const minCount = loaded.compiled.config.report.minCount
    // The totals as before (small cells hidden), each with the report's numbers beside them.
    return c.json({
      experiments: loaded.reports.map(({ report, data }) => {
        const exp = loaded.compiled.experiments.find((e) => e.id === report.id)
        return {
          id: report.id,
          label: report.label,
          status: report.status,
          phase: report.phase,
          arms: report.arms.map((a, index) => ({ index, id: a.id, label: a.label })),
          totals: exportTotals(data, minCount, exp?.unit === 'pageview' ? 'views' : 'units'),
          ...(data.error ? { error: data.error } : {}),
          report: {
            verdict: report.verdict,
            srm: report.srm,
            goals: report.goals,
            weights: report.weights,
            cells: report.cells,
            minCount,
          },
        }
      }),
      counting: batcher.health(),
    })
  })

  app.get('/admin/experiments', headers, guard('page'), async (c) => {
    const loaded = await load(c)
    if (!loaded) {
      return notConfigured(c)
    }
    const reports = loaded.reports.map((r) => r.report)
    return page(
      c,
      <ListPage
        reports={reports.filter((r) => r.id !== HOLDOUT_ID)}
        holdout={reports.find((r) => r.id === HOLDOUT_ID)}
        nonce={c.get('secureHeadersNonce') ?? ''}
        css={await css(c)}
      />
    )
  })

  app.get(
    '/admin/experiments/:id',
    headers,
    (c, next) => guard(c.req.param('id').endsWith('.csv') ? 'export' : 'page')(c, next),
    async (c) => {
      const param = c.req.param('id')
      const csv = param.endsWith('.csv')
      const id = csv ? param.slice(0, -4) : param
      const loaded = await load(c, [id])
      if (!loaded) {
        return notConfigured(c)
      }
      const found = loaded.reports[0]
      if (!found) {
        return c.json({ error: `No experiment "${id.slice(0, 40)}" in the config.` }, 404)
      }
      if (csv) {
        c.header('content-disposition', `attachment; filename="${found.report.id}.csv"`)
        return c.body(experimentCsv(found.report), 200, {
          'content-type': 'text/csv; charset=utf-8',
        })
      }
      return page(
        c,
        <ExperimentPage
          report={found.report}
          nonce={c.get('secureHeadersNonce') ?? ''}
          css={await css(c)}
        />
      )
    }
  )

  return app
}
