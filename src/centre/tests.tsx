// The centre's "Tests you are part of": consent to tests, each test with why, and "Leave this test".
import type { FC } from 'hono/jsx'
import { ReturnTo } from './field'
import type { CentreProps } from './page'

/**
 * Read from the visitor's cookie: the tests they are in (label, why in words, a button to leave)
 * and the choice "Include me in tests". Page-view tests are named without anything about them.
 */
export const TestsSection: FC<CentreProps> = (p) => {
  const t = p.tests
  if (!t) {
    return null
  }
  return (
    <section aria-labelledby="tests-title" id="tests">
      <h2 id="tests-title">Tests you are part of</h2>
      <p>
        This site compares versions of some blocks to learn which helps. If you agree, your cookie
        keeps, for each test, only which version you see and whether you reached its goal (and, for
        a test that learns what suits each context, the coarse context you joined in, such as “on a
        phone, in the morning”): a few digits, nothing that tells you apart from anyone else. Counts
        are kept per day, for everyone together.
      </p>
      {t.pageview ? <p>{t.pageview}</p> : null}
      {t.holdout ? <p>{t.holdout}</p> : null}
      {t.list.length ? (
        <ul class="tests">
          {t.list.map((test) => (
            <li>
              <strong>{test.label}</strong>: {test.why}.{' '}
              {test.context ? `You count with everyone who joined ${test.context}. ` : null}
              <form method="post" action="/_tailor/tests/leave" class="inline">
                <ReturnTo to={p.self} />
                <input type="hidden" name="test" value={test.id} />
                <button type="submit" class="quiet" aria-label={`Leave this test: ${test.label}`}>
                  Leave this test
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : t.holdout ? null : (
        <p>You are in no test that keeps anything in your cookie.</p>
      )}
      {p.cookie === 'valid' ? (
        <form method="post" action="/_tailor/tests" class="inline">
          <ReturnTo to={p.self} />
          {t.agreed ? (
            <>
              <input type="hidden" name="tests" value="off" />
              <button type="submit" class="quiet">
                Don’t include me in tests
              </button>
            </>
          ) : (
            <>
              <input type="hidden" name="tests" value="on" />
              <button type="submit">Include me in tests</button>
            </>
          )}
        </form>
      ) : (
        <p>Save a preference first: tests only use a cookie you already have.</p>
      )}
    </section>
  )
}
