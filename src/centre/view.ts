// Everything the centre page shows, gathered and put into words (the page itself only lays it out).
import type { CompiledConfig, ConfigIssue } from '../config'
import { interestLabel, sanitizePreferences, signalInterests } from '../config'
import type { Facts } from '../context'
import { betsOf, holdoutWords, PAGEVIEW_NOTICE, testsConsentFor, testsView } from '../experiments'
import type { VisitorRead, VisitorState } from '../visitor'
import { currentScores } from '../visitor'
import { readConsent } from '../privacy'
import type { Flash } from './form'
import { FLASHES } from './form'
import type { CentreProps, PreferenceField } from './page'
import { centreStyles } from './styles'
import type { WhyView } from './why'
import { consentText, dateText, factLines, preferenceText, scoreText } from './words'

export type CentreInput = {
  site: CompiledConfig
  visitor: VisitorRead
  /** The facts to show as "read from each request": the explained page's, else this request's. */
  facts: Facts
  request: Request
  now: number
  nonce: string
  /** This centre URL, where forms come back to. */
  self: string
  canSave: boolean
  why?: WhyView
  whyRefused?: boolean
  flash?: Flash
  alert?: string
  /** Field errors from a refused form, by preference name. */
  issues?: readonly ConfigIssue[]
  /** What a refused form sent, shown again so the visitor can correct it. */
  submitted?: Record<string, unknown>
}

/**
 * Gather the centre's content for one request.
 * @example c.html(<CentrePage {...centreView({ site, visitor, facts, request, now, nonce, self, canSave })} />)
 */
export function centreView(input: CentreInput): CentreProps {
  const { site, visitor, request, now } = input
  const config = site.config
  const brand = config.brand
  const stored = visitor.status === 'valid' ? visitor.visitor : undefined
  const prefs = stored ? sanitizePreferences(stored.prefs, config.preferences) : {}
  const timeZone = input.facts.timezone
  const consent = readConsent(stored, config, request)
  const interests = signalInterests(config)
  const available = interests.length > 0

  const lines: { label: string; value: string }[] = []
  for (const [name, pref] of Object.entries(config.preferences)) {
    const automatic = name === 'language' && prefs[name] === undefined
    const value = automatic ? 'automatic (from your browser)' : preferenceText(prefs[name], pref)
    lines.push({ label: pref.label, value })
  }
  if (stored) {
    lines.push({ label: 'Personalisation', value: stored.paused ? 'paused' : 'on' })
    if (available || stored.consent) {
      lines.push({
        label: 'Reading signals',
        value: consentText(consent, stored.consent?.at, timeZone),
      })
    }
  }
  const scores = currentScores(stored?.signals, now, config.signals.halfLifeDays)
  const signals = Object.entries(scores)
    .sort(([, a], [, b]) => b - a)
    .map(([id, score]) => ({ id, label: interestLabel(config, id), score: scoreText(score) }))
  if (stored && signals.length) {
    lines.push({
      label: 'Reading scores',
      value: signals.map((s) => `${s.label} ${s.score}`).join(', '),
    })
  }

  const fields: PreferenceField[] = Object.entries(config.preferences).map(([name, spec]) => {
    const submitted = input.submitted && Object.hasOwn(input.submitted, name)
    return {
      name,
      spec,
      value: submitted ? input.submitted?.[name] : prefs[name],
      error: input.issues?.find((i) => i.path === name)?.message,
    }
  })

  const maxAgeSeconds = config.cookie.maxAgeDays * 86_400
  let alert = input.alert
  if (!alert && input.issues?.length) {
    alert = 'Nothing was saved: please check the fields marked below.'
  }
  if (!alert && !input.canSave) {
    alert = 'This site cannot save anything right now (it has no signing key). Erasing still works.'
  }
  const languageChosen = typeof prefs.language === 'string'
  const siteName = brand.name ?? new URL(request.url).hostname
  return {
    nonce: input.nonce,
    css: centreStyles(brand),
    brand: { name: siteName, logo: brand.logo },
    self: input.self,
    flash: input.flash ? FLASHES[input.flash].replace('{site}', siteName) : undefined,
    alert,
    cookie: visitor.status,
    stored: lines,
    storedSince: stored ? dateText(stored.created * 1000, timeZone) : undefined,
    expires:
      visitor.status === 'valid'
        ? dateText((visitor.issuedAt + maxAgeSeconds) * 1000, timeZone)
        : undefined,
    paused: stored?.paused === true,
    privacy: { gpc: consent.privacySignal === 'gpc', dnt: consent.privacySignal === 'dnt' },
    facts: factLines(input.facts, languageChosen),
    why: input.why && {
      from: input.why.from,
      paused: input.why.paused,
      rows: input.why.rows.map((r) => ({
        block: r.block,
        shown: r.shown,
        personalised: r.variant !== undefined,
        reason: r.reason,
      })),
    },
    whyRefused: input.whyRefused === true,
    fields,
    consent: {
      available,
      text: consentText(consent, stored?.consent?.at, timeZone),
      on: consent.use,
      explicitRequired: consent.explicitRequired,
      recording: consent.record,
      signals,
      halfLifeDays: config.signals.halfLifeDays,
      interests: interests.map((id) => interestLabel(config, id)),
    },
    canSave: input.canSave,
    tests: testsProps(site, stored, consent.privacySignal !== undefined, input.facts),
  }
}

/** The "Tests you are part of" section: absent when the site runs no experiment. */
function testsProps(
  site: CompiledConfig,
  stored: VisitorState | undefined,
  privacySignal: boolean,
  facts: Facts
): CentreProps['tests'] {
  const running = site.experiments.some((e) => e.status === 'running')
  if (!running && !site.holdout) {
    return undefined
  }
  const { config } = site
  const consent = testsConsentFor(
    { stored, eu: facts.eu, country: facts.country, privacySignal },
    { tests: config.consent.tests, explicitIn: config.consent.explicitIn }
  )
  const view = testsView(site.experiments, betsOf(stored), facts, site.holdout)
  return {
    included: consent.allowed,
    agreed: consent.answer === 'granted',
    list: view.tests,
    pageview: view.pageviewTests ? PAGEVIEW_NOTICE : undefined,
    holdout: view.holdout ? holdoutWords(view.holdout) : undefined,
  }
}
