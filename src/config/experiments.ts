// The config's `experiments` and `holdout` sections (the bet): their schema, kept apart from schema.ts.
import * as v from 'valibot'

// The same rule as schema.ts's IdSchema. Not imported from there: schema.ts imports this file, and
// a module cycle would read IdSchema before it exists.
const ID = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,39}$/,
    'Expected an id: a letter, then letters, digits, "-" or "_" (40 at most).'
  )
)
const LABEL = v.pipe(v.string(), v.minLength(1), v.maxLength(120))
const CONDITION = v.record(v.string(), v.unknown())

/** Most experiments a config may run at once: each costs a few bytes of every enrolled cookie. */
export const MAX_EXPERIMENTS = 32

/** Most goals per experiment (and per holdout): each converted goal is one bit of the cookie. */
export const MAX_GOALS = 8

/** Most arms per experiment: an arm index fits 3 bits. */
export const MAX_ARMS = 8

/**
 * A page path pattern, as signal rules write them: a prefix, where `*` stands for one segment.
 * A query or a fragment is never part of the path a page view is matched on, so both are refused.
 */
const GOAL_PATH = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(
    /^\/[^\s?#\\]*$/,
    'Expected a path pattern starting with "/", without "?" or "#", such as "/newsletter/thanks".'
  )
)

/**
 * What counts as a success. `click`: a link inside the slot is followed (counted per page view,
 * from a signed `ping`). `page`: a later page view under `path` by a visitor unit holding the
 * assignment (once per unit). `event`: `POST /_tailor/api/goals/<id>` from the site's own scripts
 * by a visitor unit holding the assignment (once per unit).
 */
export const GoalSchema = v.variant('type', [
  /** A click on a link inside the slot (its `ping`), counted per page view. */
  v.strictObject({
    type: v.literal('click'),
    /** The goal's name in counts (`goal:<id>`). */
    id: ID,
    /** Words for the report. Default: the id. */
    label: v.optional(LABEL),
    /** The goal the experiment is judged on: exactly one goal of an experiment. */
    primary: v.optional(v.boolean(), false),
  }),
  /** A later page view under `path` by a visitor unit holding the assignment, once per unit. */
  v.strictObject({
    type: v.literal('page'),
    /** A path prefix such as "/newsletter/thanks"; `*` stands for one path segment. */
    path: GOAL_PATH,
    /** The goal's name in counts (`goal:<id>`). */
    id: ID,
    /** Words for the report. Default: the id. */
    label: v.optional(LABEL),
    /** The goal the experiment is judged on: exactly one goal of an experiment. */
    primary: v.optional(v.boolean(), false),
  }),
  /** `POST /_tailor/api/goals/<id>` (same origin) by a visitor unit holding the assignment. */
  v.strictObject({
    type: v.literal('event'),
    /** The goal's name in counts (`goal:<id>`) and in its URL. */
    id: ID,
    /** Words for the report. Default: the id. */
    label: v.optional(LABEL),
    /** The goal the experiment is judged on: exactly one goal of an experiment. */
    primary: v.optional(v.boolean(), false),
  }),
])

/** One version of the slot under test. Shows exactly one of `variant`, `rules` or `default`. */
export const ArmSchema = v.pipe(
  v.strictObject({
    /** The arm's name in the report. */
    id: ID,
    /** Words for the report and the centre. Default: the id. */
    label: v.optional(LABEL),
    /** Relative share of new units (any scale: 1 and 3 mean 25% and 75%). */
    weight: v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000)),
    /** Show this variant of the slot, whatever its `when` says. */
    variant: v.optional(ID),
    /** `true`: show what the slot's rules choose for this visitor (its normal decision). */
    rules: v.optional(v.literal(true)),
    /** `true`: show the origin's own block. */
    default: v.optional(v.literal(true)),
  }),
  v.check(
    (arm) =>
      [arm.variant !== undefined, arm.rules !== undefined, arm.default !== undefined].filter(
        Boolean
      ).length === 1,
    'Expected exactly one of "variant": "<a variant id of the slot>", "rules": true or "default": true.'
  )
)

const goalsOf = (max: number) =>
  v.pipe(v.array(GoalSchema), v.maxLength(max, `Expected at most ${max} goals.`))

/** Who is never enrolled or counted, unless switched on here. All default to false. */
export const CountSchema = v.strictObject({
  /** Browsers sending `Sec-GPC: 1` (or `DNT: 1` when the consent section honours it). */
  gpc: v.optional(v.boolean(), false),
  /** User agents the `isbot` list recognises. */
  bots: v.optional(v.boolean(), false),
  /** Prefetches and prerenders (`Sec-Purpose`, `Purpose`). */
  prefetch: v.optional(v.boolean(), false),
  /** Signed preview links and the dev simulator. */
  preview: v.optional(v.boolean(), false),
})

/** Coarse context fields a contextual bandit may split on, with how many values each has. */
export const CONTEXT_FIELDS = {
  device: 3,
  daypart: 4,
  weekend: 2,
  continent: 7,
  referrer: 6,
} as const

/** Most context cells a contextual bandit keeps (the product of its fields' value counts). */
export const MAX_BANDIT_CELLS = 24

/**
 * How a bandit (`allocation: "bandit"`) moves its weights: Thompson sampling over the primary
 * goal, recomputed by the experiment's store at most every `everyMinutes`.
 */
export const BanditSchema = v.strictObject({
  /** Minutes between recomputations, 15 to 10080 (a week). Default 60. */
  everyMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(15), v.maxValue(10_080)), 60),
  /** The least share every arm keeps, 0.01 to 0.2. Default 0.01. */
  floor: v.optional(v.pipe(v.number(), v.minValue(0.01), v.maxValue(0.2)), 0.01),
  /** Up to two coarse context fields; counts and weights are kept per cell. Default: none. */
  contextBy: v.optional(
    v.pipe(
      v.array(v.picklist(Object.keys(CONTEXT_FIELDS) as (keyof typeof CONTEXT_FIELDS)[])),
      v.maxLength(2, 'Expected at most 2 context fields.'),
      v.check((f) => new Set(f).size === f.length, 'Expected each field once.'),
      v.check(
        (f) => f.reduce((n, k) => n * CONTEXT_FIELDS[k], 1) <= MAX_BANDIT_CELLS,
        `Expected at most ${MAX_BANDIT_CELLS} cells (device 3, daypart 4, weekend 2, continent 7, referrer 6, multiplied).`
      )
    ),
    []
  ),
})

/** One experiment: a bet on a slot, with weighted arms and goals. */
export const ExperimentSchema = v.pipe(
  v.strictObject({
    /** The experiment's name: its store, its counts, its entry in the visitor's cookie. */
    id: ID,
    /** Words for the preference centre ("Tests you are part of") and the report. */
    label: LABEL,
    /** The slot it tests (an id under `slots`, or a host's `slots`). */
    slot: ID,
    /** `draft`: off. `running`: enrols and counts. `stopped`: off, or `winner` for everyone. */
    status: v.picklist(['draft', 'running', 'stopped']),
    /** The arm everyone sees once stopped (nothing is counted then). */
    winner: v.optional(ID),
    /** Bumping it re-randomises everyone and starts new counts. Default 1. */
    phase: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535)), 1),
    /** Who may be enrolled (the rules' condition syntax). Default: everyone. */
    audience: v.optional(CONDITION),
    /** Who must never be enrolled; checked before `audience` and `coverage`. */
    exclude: v.optional(CONDITION),
    /** Share of the audience enrolled, 0 to 1. Default 1. */
    coverage: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 1),
    /** 2 to 8 versions of the slot, each with a weight. */
    arms: v.pipe(
      v.array(ArmSchema),
      v.minLength(2, 'Expected at least 2 arms.'),
      v.maxLength(MAX_ARMS, `Expected at most ${MAX_ARMS} arms.`)
    ),
    /** What counts as a success: 1 to 8 goals, one of them primary. */
    goals: v.pipe(goalsOf(MAX_GOALS), v.minLength(1, 'Expected at least one goal.')),
    /**
     * `visitor`: the arm is kept in the visitor's signed cookie (only with their consent to tests).
     * `pageview`: every page view draws an arm and nothing is kept. Default `visitor`.
     */
    unit: v.optional(v.picklist(['visitor', 'pageview']), 'visitor'),
    /** For a visitor unit without consent: `pageview` draws per page view, `none` shows the slot's normal decision. */
    fallback: v.optional(v.picklist(['pageview', 'none']), 'pageview'),
    /** `fixed` weights, or `bandit` (weights set from the results; until then, as fixed). */
    allocation: v.optional(v.picklist(['fixed', 'bandit']), 'fixed'),
    /** The bandit's cadence, floor and context (read only with `allocation: "bandit"`). */
    bandit: v.optional(BanditSchema, {}),
    /** Who is enrolled and counted though never by default (GPC, bots, prefetch, preview). */
    count: v.optional(CountSchema, {}),
  }),
  v.check(
    (e) => e.goals.filter((g) => g.primary).length === 1,
    'Expected exactly one goal with "primary": true.'
  ),
  v.check(
    (e) => e.bandit.floor * e.arms.length < 1,
    'Expected bandit.floor × arms below 1, or no arm could move.'
  )
)

/** The report's privacy setting: cells with fewer units are shown and exported as "< minCount". */
export const ReportSchema = v.strictObject({
  /** Units a cell needs before its numbers are shown, 1 to 1000. Default 10. */
  minCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 10),
})

/**
 * The global holdout: `percent` of units see the origin's page with no personalisation at all,
 * counted like an arm, to measure whether personalisation helps.
 */
export const HoldoutSchema = v.strictObject({
  /** 0 to 20. 0: no holdout. */
  percent: v.pipe(v.number(), v.minValue(0), v.maxValue(20)),
  /**
   * Visitors without consent to tests: `none` (default) holds none of them out; `pageview` holds
   * out `percent` of their page views, drawn each time.
   */
  fallback: v.optional(v.picklist(['pageview', 'none']), 'none'),
  /** Bumping it re-draws who is held out. Default 1. */
  phase: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65_535)), 1),
  /** Page and event goals (the holdout has no block of its own, so no click goal). */
  goals: v.optional(
    v.pipe(
      goalsOf(MAX_GOALS),
      v.check(
        (goals) => goals.every((g) => g.type !== 'click'),
        'Expected page or event goals: the holdout has no block of its own to click.'
      )
    ),
    []
  ),
})

/** The `experiments` section: at most 32, ids unique. */
export const ExperimentsSchema = v.pipe(
  v.array(ExperimentSchema),
  v.maxLength(MAX_EXPERIMENTS, `Expected at most ${MAX_EXPERIMENTS} experiments.`)
)

export type ExperimentConfig = v.InferOutput<typeof ExperimentSchema>
export type ArmConfig = ExperimentConfig['arms'][number]
export type GoalConfig = v.InferOutput<typeof GoalSchema>
export type HoldoutConfig = v.InferOutput<typeof HoldoutSchema>
export type BanditConfig = v.InferOutput<typeof BanditSchema>
export type ReportConfig = v.InferOutput<typeof ReportSchema>
