// The preference centre's sections, one component each, in the order the page shows them.
import type { FC } from 'hono/jsx'
import { Field, ReturnTo, WhyList } from './field'
import type { CentreProps } from './page'

/** The short messages at the top: what the last form did, a refusal, a pause, a privacy signal. */
export const NoticesSection: FC<CentreProps> = (p) => (
  <>
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
        <strong>Personalisation is paused.</strong> Every page shows its usual content, and nothing
        new is recorded, until you resume it below.
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
  </>
)

/** "Why this page looks as it does", when the centre was opened from a page; or why it cannot say. */
export const WhySection: FC<CentreProps> = (p) => (
  <>
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
  </>
)

/** What the cookie holds (absent, unverifiable, or its contents in words). */
export const StoredSection: FC<CentreProps> = (p) => (
  <section aria-labelledby="stored-title">
    <h2 id="stored-title">What your cookie holds</h2>
    {p.cookie === 'absent' ? (
      <p>
        Nothing. Your browser holds no cookie of ours, so pages adapt only to what your browser
        sends with each request (below). A cookie is set only when you save something on this page.
      </p>
    ) : null}
    {p.cookie === 'invalid' ? (
      <p>
        Your browser sent a cookie of ours that we could not verify (it may have expired). We ignore
        it. Saving anything here replaces it; erasing removes it.
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
          One first-party cookie, signed so that nobody else can change it, and readable only by
          this site’s server. {p.storedSince ? `First saved ${p.storedSince}. ` : ''}
          {p.expires ? `It is kept until ${p.expires} unless you erase it.` : ''}
        </p>
      </>
    ) : null}
  </section>
)

/** What is read from each request and never stored. */
export const ReadSection: FC<CentreProps> = (p) => (
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
      Your browser sends these with every page request. We use them for that page only and store
      none of them: not in the cookie, not on a server.
    </p>
  </section>
)

/** The visitor's preferences, as a form. */
export const PreferencesSection: FC<CentreProps> = (p) => (
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
)

/** Reading signals: what is kept, consent, and the forms to turn them off or erase them. */
export const SignalsSection: FC<CentreProps> = (p) => (
  <>
    {p.consent.available ? (
      <section aria-labelledby="signals-title" id="signals">
        <h2 id="signals-title">Reading signals</h2>
        <p>
          With your permission, the cookie also keeps a small summary of the topics you read about
          here ({p.consent.interests.join(', ')}): a score per topic that halves every{' '}
          {p.consent.halfLifeDays} days. It never leaves your browser except to this site, and holds
          no list of pages.
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
  </>
)

/** Pause or resume personalisation. */
export const PauseSection: FC<CentreProps> = (p) => (
  <section aria-labelledby="pause-title">
    <h2 id="pause-title">{p.paused ? 'Resume personalisation' : 'Pause personalisation'}</h2>
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
)

/** Erase everything: the cookie goes. */
export const EraseSection: FC<CentreProps> = (p) => (
  <section aria-labelledby="erase-title">
    <h2 id="erase-title">Erase everything</h2>
    <p>
      Removes the cookie with your preferences, your answer about reading signals and the signals
      themselves. Pages go back to adapting only to what your browser sends.
    </p>
    <form method="post" action="/_tailor/erase">
      <ReturnTo to={p.self} />
      <button type="submit" class="danger">
        Erase everything
      </button>
    </form>
  </section>
)
