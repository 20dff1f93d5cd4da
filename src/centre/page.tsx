// The preference centre page (hono/jsx): readable and usable without JavaScript.
import type { FC } from 'hono/jsx'
import type { Preference } from '../config'
import {
  EraseSection,
  NoticesSection,
  PauseSection,
  PreferencesSection,
  ReadSection,
  SignalsSection,
  StoredSection,
  WhySection,
} from './sections'
import { TestsSection } from './tests'
import type { FactLine } from './words'

/** One preference as the form shows it. */
export type PreferenceField = {
  name: string
  spec: Preference
  /** The value to show: the stored one, or what the visitor just sent when it was refused. */
  value: unknown
  error: string | undefined
}

export type SignalLine = { id: string; label: string; score: string }

/** Everything the page shows, already in words; built by `centreView`. */
export type CentreProps = {
  nonce: string
  css: string
  brand: { name: string; logo: string | undefined }
  /** The current centre URL (with `from`): where each form comes back to. */
  self: string
  flash: string | undefined
  /** A problem with the last form: its message. */
  alert: string | undefined
  cookie: 'absent' | 'valid' | 'invalid'
  stored: { label: string; value: string }[]
  storedSince: string | undefined
  expires: string | undefined
  paused: boolean
  privacy: { gpc: boolean; dnt: boolean }
  facts: FactLine[]
  why:
    | {
        from: string
        paused: boolean
        rows: { block: string; shown: string; personalised: boolean; reason: string }[]
      }
    | undefined
  /** `from` was given but is not a page of this site. */
  whyRefused: boolean
  fields: PreferenceField[]
  consent: {
    /** Rules exist: the site records reading signals at all. */
    available: boolean
    text: string
    on: boolean
    explicitRequired: boolean
    recording: boolean
    signals: SignalLine[]
    halfLifeDays: number
    interests: string[]
  }
  canSave: boolean
  /** "Tests you are part of" (src/centre/tests.tsx); absent when the site tests nothing. */
  tests?:
    | {
        /** The visitor may be included in tests (consent and region rules). */
        included: boolean
        /** They said yes in this centre. */
        agreed: boolean
        /** `context`: a contextual bandit's cell, in words ("on a phone, in the morning"). */
        list: { id: string; label: string; why: string; context?: string }[]
        /** Words for page-view experiments, when the site runs any. */
        pageview: string | undefined
        /** Words for the holdout draw the cookie keeps, when it keeps one. */
        holdout: string | undefined
      }
    | undefined
}

/**
 * The whole page. Every visitor-provided value reaches it as a JSX child or attribute, which
 * hono/jsx escapes; nothing is inserted as raw HTML. Text a visitor typed is shown inside `<bdi>`
 * (or an input with `dir="auto"`), so right-to-left text cannot reorder the words around it.
 */
export const CentrePage: FC<CentreProps> = (p) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>Your personalisation · {p.brand.name}</title>
      <style nonce={p.nonce}>{p.css}</style>
    </head>
    <body>
      <div class="wrap">
        <header class="top">
          {p.brand.logo ? <img src={p.brand.logo} alt="" width="40" height="40" /> : null}
          <a href="/">{p.brand.name}</a>
        </header>
        <main id="main">
          <h1>Your personalisation</h1>
          <p class="lead">
            {p.brand.name} adapts a few blocks of its pages to you. This page shows everything that
            is used to do that, and lets you change it, pause it or erase it.
          </p>
          <NoticesSection {...p} />

          <WhySection {...p} />

          <StoredSection {...p} />

          <ReadSection {...p} />

          <PreferencesSection {...p} />

          <SignalsSection {...p} />

          <TestsSection {...p} />

          <PauseSection {...p} />

          <EraseSection {...p} />
        </main>
        <footer class="bottom">
          <p>
            Nothing here is shared with anyone else. <a href="/">Back to {p.brand.name}</a>
          </p>
        </footer>
      </div>
    </body>
  </html>
)
