// The report's HTML: the list, one experiment, and the login form; charts are SVG drawn here, no script.
import type { Child, FC } from 'hono/jsx'
import { formatChance, formatCount, formatP } from '../stats'
import type { DayPoint, ExperimentReport, Shown, WeightsPoint } from './model'
import { liftOf } from './model'

/** Where the report lives. */
export const REPORT_PATH = '/_tailor/admin/experiments'
export const LOGIN_PATH = '/_tailor/admin/login'

/** One colour per arm (8 at most), each ≥ 3:1 against white for lines and marks. */
const COLOURS = [
  '#2557a7',
  '#c2410c',
  '#0f766e',
  '#7c3aed',
  '#b91c1c',
  '#4d7c0f',
  '#be185d',
  '#475569',
]
const colour = (i: number) => COLOURS[i % COLOURS.length] as string

/** The report's own rules, on top of the centre's stylesheet. Holds none of `< > & ' "`. */
export const REPORT_CSS = `
:root { --muted: color-mix(in srgb, var(--text) 68%, var(--bg)); --soft: color-mix(in srgb, var(--accent) 7%, var(--bg)); }
.wrap { max-width: 72rem; }
input[type=password] { font: inherit; color: inherit; background: var(--bg); width: 100%;
  padding: 0.55rem 0.7rem; border: 1px solid currentColor; border-radius: 8px; }
header.top { justify-content: space-between; flex-wrap: wrap; }
header.top form { margin: 0; }
h1 { margin-top: 1.25rem; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0 0 1rem; }
.tag { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0.1rem 0.5rem; border-radius: 99px;
  border: 1px solid var(--line); margin-left: 0.4rem; vertical-align: middle; text-transform: uppercase; letter-spacing: 0.03em; }
.verdict { font-size: 1.15rem; font-weight: 600; padding: 1rem 1.25rem; border-radius: 12px; margin: 1rem 0;
  border-left: 6px solid var(--accent); background: var(--soft); }
.verdict.winner, .verdict.leading { border-color: #0f766e; }
.verdict.srm { border-color: var(--danger); }
.alert strong { color: var(--danger); }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.95rem; }
th, td { text-align: right; padding: 0.55rem 0.6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); font-weight: 600; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
td small { display: block; color: var(--muted); font-size: 0.8rem; }
.dot { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 50%; margin-right: 0.45rem; }
.up { color: #0f766e; } .down { color: #b91c1c; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.25rem; }
.card b { display: block; font-size: 1.6rem; line-height: 1.2; }
.card span { color: var(--muted); font-size: 0.9rem; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
svg text { font: 13px system-ui, sans-serif; fill: currentColor; }
.tag.srm-tag { color: var(--danger); border-color: var(--danger); }
.table + .note { margin-top: 1rem; }
th:first-child, td:first-child { min-width: 11rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1.25rem; font-size: 0.9rem; margin: 0.5rem 0 0; padding: 0; list-style: none; }
.login { max-width: 26rem; margin: 4rem auto; }
.login input { max-width: none; }
.login button { width: 100%; margin-top: 0.75rem; }
.login form { margin-bottom: 1rem; }
a.quiet { color: inherit; }
@media (max-width: 40rem) {
  .arms thead { display: none; }
  .arms tr { display: block; border-bottom: 1px solid var(--line); padding: 0.5rem 0; }
  .arms td { display: flex; justify-content: space-between; gap: 1rem; border: 0; padding: 0.2rem 0; white-space: normal; }
  .arms td::before { content: attr(data-label); color: var(--muted); font-size: 0.85rem; text-align: left; }
  .arms td:first-child { display: block; font-weight: 600; font-size: 1.05rem; }
  svg text { font-size: 28px; }
  .arms td:first-child::before { content: none; }
  section { padding: 1rem; }
}
`

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${pct(Math.abs(x))}`

/** A shown number as words: "< 10" as it is, null as a dash. */
function num(value: Shown, format: (n: number) => string): string {
  return typeof value === 'number' ? format(value) : (value ?? '–')
}

const range = (low: Shown, high: Shown, format: (n: number) => string) =>
  typeof low === 'number' && typeof high === 'number' ? `${format(low)} to ${format(high)}` : ''

/** A UTC day number as "12 Nov". */
const dayLabel = (day: number) =>
  new Date(day * 86_400_000).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })

/** The document around a page. */
export const Layout: FC<{ title: string; nonce: string; css: string; children?: Child }> = (p) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{p.title}</title>
      <style nonce={p.nonce}>{p.css}</style>
    </head>
    <body>
      <div class="wrap">{p.children}</div>
    </body>
  </html>
)

const Top: FC<{ title?: string }> = ({ title }) => (
  <header class="top">
    <a href={REPORT_PATH}>{title ?? 'Tailor · Experiments'}</a>
    <form method="post" action="/_tailor/admin/logout">
      <button class="quiet" type="submit">
        Sign out
      </button>
    </form>
  </header>
)

/** A line chart of each arm's cumulative rate, with its 95% interval as a band. */
export const RateChart: FC<{ report: ExperimentReport }> = ({ report }) => {
  const series = report.daily
  const all = series.flat()
  if (all.length === 0) {
    return <p class="note">The chart appears once an arm has {report.minCount} units.</p>
  }
  const days = all.map((p) => p.day)
  const first = Math.min(...days)
  const last = Math.max(...days)
  // A round top for the axis: 1, 2 or 5 times a power of ten, above every band.
  const highest = Math.max(0.001, ...all.map((p) => p.high))
  const step = 10 ** Math.floor(Math.log10(highest))
  const top = ([1, 2, 5, 10].find((m) => m * step >= highest) ?? 10) * step
  const W = 800
  const H = 260
  const L = 56
  const B = 28
  const x = (day: number) => L + ((day - first) / Math.max(1, last - first)) * (W - L - 12)
  const y = (v: number) => 20 + (1 - v / top) * (H - B - 20)
  const line = (ps: DayPoint[], pick: (p: DayPoint) => number) =>
    ps.map((p) => `${x(p.day).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ')
  const ticks = [0, top / 2, top]
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Cumulative conversion rate by day">
        {ticks.map((t) => (
          <g>
            <line x1={L} x2={W - 8} y1={y(t)} y2={y(t)} stroke="#8884" />
            <text x={L - 6} y={y(t) + 4} text-anchor="end">
              {pct(t, top < 0.04 ? 1 : 0)}
            </text>
          </g>
        ))}
        <text x={L} y={H - 8}>
          {dayLabel(first)}
        </text>
        <text x={W - 12} y={H - 8} text-anchor="end">
          {dayLabel(last)}
        </text>
        {series.map((ps, i) =>
          ps.length ? (
            <g>
              <polygon
                points={`${line(ps, (p) => p.high)} ${line([...ps].reverse(), (p) => p.low)}`}
                fill={colour(i)}
                fill-opacity="0.14"
              />
              <polyline
                points={line(ps, (p) => p.rate)}
                fill="none"
                stroke={colour(i)}
                stroke-width="2.5"
              />
              {ps.length === 1 ? (
                <circle cx={x(ps[0]!.day)} cy={y(ps[0]!.rate)} r="4" fill={colour(i)} />
              ) : null}
            </g>
          ) : null
        )}
      </svg>
      <Legend report={report} />
    </figure>
  )
}

const Legend: FC<{ report: ExperimentReport }> = ({ report }) => (
  <ul class="legend">
    {report.arms.map((a, i) => (
      <li>
        <Dot i={i} />
        {a.label}
      </li>
    ))}
  </ul>
)

const Dot: FC<{ i: number }> = ({ i }) => (
  <svg class="dot" viewBox="0 0 10 10" aria-hidden="true">
    <circle cx="5" cy="5" r="5" fill={colour(i)} />
  </svg>
)

/** A bandit's weights over time: each arm's share as a step line, 0 to 100%. */
export const WeightsChart: FC<{ report: ExperimentReport; points: WeightsPoint[] }> = ({
  report,
  points,
}) => {
  const W = 800
  const H = 220
  const L = 56
  const now = Math.max(points.at(-1)!.minute + 60, Math.floor(Date.now() / 60_000))
  const first = points[0]!.minute
  const x = (m: number) => L + ((m - first) / Math.max(1, now - first)) * (W - L - 12)
  const y = (v: number) => 20 + (1 - v) * (H - 48)
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Traffic share per arm over time">
        {[0, 0.5, 1].map((t) => (
          <g>
            <line x1={L} x2={W - 8} y1={y(t)} y2={y(t)} stroke="#8884" />
            <text x={L - 6} y={y(t) + 4} text-anchor="end">
              {pct(t, 0)}
            </text>
          </g>
        ))}
        <text x={L} y={H - 8}>
          {dayLabel(Math.floor(first / 1440))}
        </text>
        <text x={W - 12} y={H - 8} text-anchor="end">
          now
        </text>
        {report.arms.map((_, i) => {
          let d = ''
          points.forEach((p, k) => {
            const v = y(p.weights[i] ?? 0).toFixed(1)
            d += k === 0 ? `M${x(p.minute).toFixed(1)},${v}` : `H${x(p.minute).toFixed(1)}V${v}`
          })
          d += `H${x(now).toFixed(1)}`
          return <path d={d} fill="none" stroke={colour(i)} stroke-width="2.5" />
        })}
      </svg>
      <Legend report={report} />
    </figure>
  )
}

/** One goal's arms table. */
const ArmsTable: FC<{ report: ExperimentReport; goal: number }> = ({ report, goal }) => {
  const g = report.goals[goal]!
  const control = report.allocation === 'holdout' ? 1 : 0
  return (
    <div class="table">
      <table class="arms">
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Units</th>
            <th scope="col">Exposures</th>
            <th scope="col">Conversions</th>
            <th scope="col">Rate</th>
            <th scope="col">Uplift</th>
            <th scope="col">Chance to beat control</th>
            <th scope="col">Left</th>
          </tr>
        </thead>
        <tbody>
          {g.arms.map((a, i) => (
            <tr>
              <td>
                <Dot i={i} />
                {a.label}
                {i === control ? <span class="tag">control</span> : null}
              </td>
              <td data-label="Units">{num(a.units, formatCount)}</td>
              <td data-label="Exposures">{num(a.exposures, formatCount)}</td>
              <td data-label="Conversions">{num(a.conversions, formatCount)}</td>
              <td data-label="Rate">
                <span>
                  {num(a.rate, (n) => pct(n, 2))}
                  <small>{range(a.low, a.high, (n) => pct(n, 2))}</small>
                </span>
              </td>
              <td
                data-label="Uplift"
                class={typeof a.uplift === 'number' ? (a.uplift > 0 ? 'up' : 'down') : undefined}
              >
                <span>
                  {i === control ? '' : num(a.uplift, signed)}
                  <small>{range(a.upliftLow, a.upliftHigh, signed)}</small>
                </span>
              </td>
              <td data-label="Chance to beat">
                {i === control ? '' : num(a.chance, formatChance)}
              </td>
              <td data-label="Left">{num(a.left, formatCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The SRM banner: the split does not match the weights, so no winner can be trusted. */
const SrmBanner: FC<{ report: ExperimentReport }> = ({ report }) =>
  report.srm.alert ? (
    <div class="alert" role="alert">
      <strong>Sample-ratio mismatch.</strong> The units per arm do not match the{' '}
      {report.allocation === 'bandit'
        ? 'weights in force when they were enrolled'
        : 'configured weights'}{' '}
      ({formatP(report.srm.pValue)}; expected{' '}
      {report.arms
        .map((a, i) => `${a.label} ${num(report.srm.expected[i] ?? null, formatCount)}`)
        .join(', ')}
      ). Look for a redirect, a cache or a filter that treats one arm differently before reading any
      result.
    </div>
  ) : null

/** One experiment's page. */
export const ExperimentPage: FC<{ report: ExperimentReport; nonce: string; css: string }> = ({
  report,
  nonce,
  css,
}) => (
  <Layout title={`${report.label} · Tailor`} nonce={nonce} css={css}>
    <Top />
    <p class="meta">
      <a class="quiet" href={REPORT_PATH}>
        ← All experiments
      </a>
    </p>
    <h1>{report.label}</h1>
    <p class="meta">
      {report.id} · phase {report.phase} · {report.status} ·{' '}
      {report.allocation === 'bandit'
        ? 'bandit (Thompson sampling)'
        : report.allocation === 'holdout'
          ? 'holdout'
          : 'fixed weights'}{' '}
      · <a href={`${REPORT_PATH}/${encodeURIComponent(report.id)}.csv`}>Download CSV</a>
    </p>
    {report.error ? (
      <div class="alert" role="alert">
        {report.error}
      </div>
    ) : null}
    <SrmBanner report={report} />
    <p class={`verdict ${report.verdict.status}`}>{report.verdict.text}</p>
    {report.goals.map((g, i) => (
      <section aria-labelledby={`goal-${i}`}>
        <h2 id={`goal-${i}`}>
          {g.label}
          {g.primary ? <span class="tag">primary</span> : null}
        </h2>
        <ArmsTable report={report} goal={i} />
      </section>
    ))}
    <section aria-labelledby="chart">
      <h2 id="chart">Cumulative rate by day</h2>
      <p class="note">
        Each line is an arm’s conversion rate so far on the primary goal; the band is its 95%
        interval.
      </p>
      <RateChart report={report} />
    </section>
    {report.weights.length ? (
      <section aria-labelledby="weights">
        <h2 id="weights">Traffic share over time</h2>
        <p class="note">
          The bandit gives new units more of the arm that is likely best. Units already enrolled
          keep their arm.
        </p>
        <WeightsChart report={report} points={report.weights} />
        {report.cells.length ? (
          <div class="table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Context</th>
                  {report.arms.map((a) => (
                    <th scope="col">{a.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.cells.map((c) => (
                  <tr>
                    <td>{c.cell}</td>
                    {report.arms.map((_, i) => (
                      <td>
                        {pct(c.weights[i] ?? 0, 0)}
                        <small>{num(c.units[i] ?? null, formatCount)} units</small>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    ) : null}
    <p class="note">
      Cells with fewer than {report.minCount} units show “&lt; {report.minCount}”. Counts are
      aggregates per day; no visitor is identified.
    </p>
  </Layout>
)

/** The list of experiments, with the holdout's lift first. */
export const ListPage: FC<{
  reports: ExperimentReport[]
  holdout: ExperimentReport | undefined
  nonce: string
  css: string
}> = ({ reports, holdout, nonce, css }) => {
  const lift = liftOf(holdout)
  return (
    <Layout title="Experiments · Tailor" nonce={nonce} css={css}>
      <Top />
      <h1>Experiments</h1>
      {holdout && lift ? (
        <div class="cards">
          <div class="card">
            <span>Personalisation against the holdout</span>
            <b
              class={
                typeof lift.uplift === 'number' ? (lift.uplift > 0 ? 'up' : 'down') : undefined
              }
            >
              {num(lift.uplift, signed)}
            </b>
            <span>{range(lift.low, lift.high, signed) || 'not enough units yet'}</span>
          </div>
          <div class="card">
            <span>Chance personalisation helps</span>
            <b>{num(lift.chance, formatChance)}</b>
            <span>
              <a href={`${REPORT_PATH}/${holdout.id}`}>{holdout.goals[0]?.label ?? 'Holdout'}</a>
            </span>
          </div>
        </div>
      ) : null}
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">Experiment</th>
              <th scope="col">Units</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {[...reports, ...(holdout ? [holdout] : [])].map((r) => (
              <tr>
                <td>
                  <a href={`${REPORT_PATH}/${encodeURIComponent(r.id)}`}>{r.label}</a>
                  {r.srm.alert ? <span class="tag srm-tag">SRM</span> : null}
                  {r.allocation === 'bandit' ? <span class="tag">bandit</span> : null}
                  <small>{r.verdict.text}</small>
                </td>
                <td>{unitsOf(r)}</td>
                <td>{r.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="note">
        Export: <a href={`${REPORT_PATH}.json`}>JSON</a>. Each experiment’s page has its CSV.
      </p>
    </Layout>
  )
}

/** Total units of a report, or "< 10" when any arm is small. */
function unitsOf(r: ExperimentReport): string {
  const units = r.goals[0]?.arms.map((a) => a.units) ?? []
  if (units.some((u) => typeof u !== 'number')) {
    return `< ${r.minCount} in an arm`
  }
  return formatCount(units.reduce<number>((a, b) => a + (b as number), 0))
}

/** The login form: the admin token, posted once. */
export const LoginPage: FC<{ nonce: string; css: string; error?: string }> = ({
  nonce,
  css,
  error,
}) => (
  <Layout title="Sign in · Tailor" nonce={nonce} css={css}>
    <main class="login">
      <h1>Experiments report</h1>
      <p>Sign in with this site’s admin token (the TAILOR_ADMIN_TOKEN secret).</p>
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action={LOGIN_PATH}>
        <label class="field" for="token">
          Admin token
        </label>
        <input type="password" id="token" name="token" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p class="note">You stay signed in for an hour, on this browser only.</p>
    </main>
  </Layout>
)
