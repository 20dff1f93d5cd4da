// The preference centre page (hono/jsx): readable and usable without JavaScript.
import type { FC } from 'hono/jsx'
import type { Preference } from '../config'
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
}

const ReturnTo: FC<{ to: string }> = ({ to }) => <input type="hidden" name="return_to" value={to} />

const Field: FC<{ field: PreferenceField }> = ({ field }) => {
  const { name, spec, value, error } = field
  const id = `pref-${name}`
  const errorId = `${id}-error`
  const described = error ? errorId : undefined
  const Error = () =>
    error ? (
      <p class="error" id={errorId}>
        {error}
      </p>
    ) : null
  // A select of the field's values, first "unset" (the choice and boolean fields).
  const Select = (props: { current: string; unset: string; options: [string, string][] }) => (
    <div class="field-group">
      <label class="field" for={id}>
        {spec.label}
      </label>
      <Error />
      <select
        id={id}
        name={name}
        aria-describedby={described}
        aria-invalid={error ? 'true' : undefined}
      >
        <option value="" selected={props.current === ''}>
          {props.unset}
        </option>
        {props.options.map(([option, label]) => (
          <option value={option} selected={props.current === option}>
            {label}
          </option>
        ))}
      </select>
    </div>
  )
  switch (spec.type) {
    case 'set': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : [])
      const options = Object.entries(spec.options)
      const max = spec.max ?? options.length
      return (
        <fieldset class="field-group" aria-describedby={described}>
          <legend>{spec.label}</legend>
          <span class="hint">
            {max < options.length ? `Choose up to ${max}.` : 'Choose any that apply.'}
          </span>
          <Error />
          {options.map(([option, label]) => (
            <div class="check">
              <input
                type="checkbox"
                id={`${id}-${option}`}
                name={name}
                value={option}
                checked={chosen.has(option)}
              />
              <label for={`${id}-${option}`}>{label}</label>
            </div>
          ))}
        </fieldset>
      )
    }
    case 'choice':
      return (
        <Select
          current={typeof value === 'string' ? value : ''}
          unset={name === 'language' ? 'Automatic (from your browser)' : 'Not set'}
          options={Object.entries(spec.options)}
        />
      )
    case 'text': {
      const hintId = `${id}-hint`
      return (
        <div class="field-group">
          <label class="field" for={id}>
            {spec.label}
          </label>
          <span class="hint" id={hintId}>
            Optional. Up to {spec.maxLength} characters.
          </span>
          <Error />
          <input
            type="text"
            id={id}
            name={name}
            value={typeof value === 'string' ? value : ''}
            maxlength={spec.maxLength}
            dir="auto"
            autocomplete="off"
            aria-describedby={described ? `${hintId} ${described}` : hintId}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
      )
    }
    case 'boolean':
      return (
        <Select
          current={value === true ? 'true' : value === false ? 'false' : ''}
          unset="Not set"
          options={[
            ['true', 'Yes'],
            ['false', 'No'],
          ]}
        />
      )
  }
}

type WhyProps = { why: NonNullable<CentreProps['why']> }

/** Personalised blocks one per line with their reason; the others together on one line. */
const WhyList: FC<WhyProps> = ({ why }) => {
  if (why.paused) {
    return <p>Personalisation is paused, so every block shows the page’s own content.</p>
  }
  const shown = why.rows.filter((r) => r.personalised)
  const usual = why.rows.filter((r) => !r.personalised)
  if (!why.rows.length) {
    return <p>Nothing on this page is personalised.</p>
  }
  return (
    <>
      {shown.length ? (
        <ul class="why">
          {shown.map((row) => (
            <li>
              <span class="block">{row.block}</span>: {row.shown}
              {row.reason.startsWith('because') ? ', ' : ' ('}
              <span class="reason">{row.reason}</span>
              {row.reason.startsWith('because') ? '.' : ').'}
            </li>
          ))}
        </ul>
      ) : (
        <p>No block on this page is personalised for you right now.</p>
      )}
      {usual.length ? (
        <p>
          {usual.length === 1 ? 'This block shows' : 'These blocks show'} the page’s own content,
          because no rule matched you: {usual.map((r) => r.block).join(', ')}.
        </p>
      ) : null}
    </>
  )
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
          {p.flash ? (
            <p class="flash" role="status">
              {p.flash}
            </p>
          ) : null}
          {p.alert ? (
            <p class="alert" role="alert">
              {p.alert}
            </p>
          ) : null}
          {p.paused ? (
            <p class="notice">
              <strong>Personalisation is paused.</strong> Every page shows its usual content, and
              nothing new is recorded, until you resume it below.
            </p>
          ) : null}
          {p.privacy.gpc || p.privacy.dnt ? (
            <p class="notice" id="privacy-signal">
              <strong>
                Your browser sends {p.privacy.gpc ? 'Global Privacy Control' : 'Do Not Track'}.
              </strong>{' '}
              We honour it: no reading signals are recorded while it is on, whatever you chose here.
            </p>
          ) : null}

          {p.why ? (
            <section aria-labelledby="why-title" id="why">
              <h2 id="why-title">Why this page looks as it does</h2>
              <p>
                For the page <a href={p.why.from}>{p.why.from}</a>:
              </p>
              <WhyList why={p.why} />
              <p>
                <a href={p.why.from}>Back to the page</a>
              </p>
            </section>
          ) : null}
          {p.whyRefused ? (
            <p class="alert" role="alert">
              That address is not a page of this site, so there is nothing to explain.
            </p>
          ) : null}

          <section aria-labelledby="stored-title">
            <h2 id="stored-title">What your cookie holds</h2>
            {p.cookie === 'absent' ? (
              <p>
                Nothing. Your browser holds no cookie of ours, so pages adapt only to what your
                browser sends with each request (below). A cookie is set only when you save
                something on this page.
              </p>
            ) : null}
            {p.cookie === 'invalid' ? (
              <p>
                Your browser sent a cookie of ours that we could not verify (it may have expired).
                We ignore it. Saving anything here replaces it; erasing removes it.
              </p>
            ) : null}
            {p.cookie === 'valid' ? (
              <>
                <dl>
                  {p.stored.map((line) => (
                    <>
                      <dt>{line.label}</dt>
                      <dd>
                        <bdi>{line.value}</bdi>
                      </dd>
                    </>
                  ))}
                </dl>
                <p class="note">
                  One first-party cookie, signed so that nobody else can change it, and readable
                  only by this site’s server.{' '}
                  {p.storedSince ? `First saved ${p.storedSince}. ` : ''}
                  {p.expires ? `It is kept until ${p.expires} unless you erase it.` : ''}
                </p>
              </>
            ) : null}
          </section>

          <section aria-labelledby="read-title">
            <h2 id="read-title">What we read from each request</h2>
            <dl>
              {p.facts.map((line) => (
                <>
                  <dt>{line.label}</dt>
                  <dd>{line.value}</dd>
                </>
              ))}
            </dl>
            <p class="note">
              Your browser sends these with every page request. We use them for that page only and
              store none of them: not in the cookie, not on a server.
            </p>
          </section>

          <section aria-labelledby="prefs-title">
            <h2 id="prefs-title">Your preferences</h2>
            {p.fields.length ? (
              <form method="post" action="/_tailor/preferences">
                <ReturnTo to={p.self} />
                {p.fields.map((field) => (
                  <Field field={field} />
                ))}
                <div class="actions">
                  <button type="submit">Save preferences</button>
                </div>
              </form>
            ) : (
              <p>This site asks for no preferences.</p>
            )}
          </section>

          {p.consent.available ? (
            <section aria-labelledby="signals-title" id="signals">
              <h2 id="signals-title">Reading signals</h2>
              <p>
                With your permission, the cookie also keeps a small summary of the topics you read
                about here ({p.consent.interests.join(', ')}): a score per topic that halves every{' '}
                {p.consent.halfLifeDays} days. It never leaves your browser except to this site, and
                holds no list of pages.
              </p>
              <p>
                <strong>{p.consent.text}</strong>
                {p.consent.on && !p.consent.recording
                  ? p.privacy.gpc || p.privacy.dnt
                    ? ` Nothing new is recorded while your browser sends ${p.privacy.gpc ? 'Global Privacy Control' : 'Do Not Track'}.`
                    : p.paused
                      ? ' Nothing new is recorded while personalisation is paused.'
                      : ' Nothing new is recorded right now.'
                  : ''}
              </p>
              {p.consent.signals.length ? (
                <dl>
                  {p.consent.signals.map((s) => (
                    <>
                      <dt>{s.label}</dt>
                      <dd>score {s.score}</dd>
                    </>
                  ))}
                </dl>
              ) : (
                <p>No reading signals are kept.</p>
              )}
              <div class="actions">
                <form method="post" action="/_tailor/consent" class="inline">
                  <ReturnTo to={p.self} />
                  {p.consent.on ? (
                    <>
                      <input type="hidden" name="signals" value="off" />
                      <button type="submit" class="quiet">
                        Turn off reading signals
                      </button>
                    </>
                  ) : (
                    <>
                      <input type="hidden" name="signals" value="on" />
                      <button type="submit">Turn on reading signals</button>
                    </>
                  )}
                </form>
                {p.consent.signals.length ? (
                  <form method="post" action="/_tailor/signals/clear" class="inline">
                    <ReturnTo to={p.self} />
                    <button type="submit" class="quiet">
                      Erase reading signals
                    </button>
                  </form>
                ) : null}
              </div>
            </section>
          ) : null}

          <section aria-labelledby="pause-title">
            <h2 id="pause-title">
              {p.paused ? 'Resume personalisation' : 'Pause personalisation'}
            </h2>
            <p>
              {p.paused
                ? 'While paused, everyone’s pages look the same to you. Resume to see pages adapted again.'
                : 'Pausing shows you every page with its usual content, the same for everyone, and records nothing. Your choices stay saved.'}
            </p>
            <form method="post" action="/_tailor/pause">
              <ReturnTo to={p.self} />
              <input type="hidden" name="paused" value={p.paused ? 'false' : 'true'} />
              <button type="submit" class={p.paused ? undefined : 'quiet'}>
                {p.paused ? 'Resume personalisation' : 'Pause personalisation'}
              </button>
            </form>
          </section>

          <section aria-labelledby="erase-title">
            <h2 id="erase-title">Erase everything</h2>
            <p>
              Removes the cookie with your preferences, your answer about reading signals and the
              signals themselves. Pages go back to adapting only to what your browser sends.
            </p>
            <form method="post" action="/_tailor/erase">
              <ReturnTo to={p.self} />
              <button type="submit" class="danger">
                Erase everything
              </button>
            </form>
          </section>
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
