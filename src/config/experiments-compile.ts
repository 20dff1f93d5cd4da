// The experiments and holdout compiled once per site, with the checks the schema alone cannot make.
import type { CompileEnv, CompiledCondition } from '../rules'
import { compileCondition } from '../rules'
import type { CompiledVariant } from './compile'
import type { ExperimentConfig, GoalConfig, HoldoutConfig } from './experiments'
import type { ConfigIssue } from './issues'
import { clickGoalWarnings } from './experiments-links'
import { joinPath } from './issues'
import type { Config } from './schema'
import { pathPattern } from './signals'

/** What an arm shows: a variant of the slot, the slot's normal decision, or the origin's block. */
export type ArmShow =
  { type: 'variant'; variant: CompiledVariant } | { type: 'rules' } | { type: 'default' }

export type CompiledArm = { id: string; label: string; weight: number; show: ArmShow }

export type CompiledGoal = {
  id: string
  label: string
  type: GoalConfig['type']
  primary: boolean
  /** For a page goal: whether a path converts. */
  matches?: (path: string) => boolean
}

/** An experiment ready for requests, on one site's slot. */
export type CompiledExperiment = {
  id: string
  label: string
  /** The slot id it tests. */
  slot: string
  status: ExperimentConfig['status']
  /** The winning arm's index once stopped with a winner. */
  winner: number | undefined
  phase: number
  audience: CompiledCondition | undefined
  exclude: CompiledCondition | undefined
  coverage: number
  arms: readonly CompiledArm[]
  /** Cumulative weights: arm i is drawn when u·total falls in [bounds[i-1], bounds[i]). */
  bounds: readonly number[]
  goals: readonly CompiledGoal[]
  unit: ExperimentConfig['unit']
  fallback: ExperimentConfig['fallback']
  allocation: ExperimentConfig['allocation']
  count: ExperimentConfig['count']
  /** The experiment as written, for words (the centre's "why", from `audience`). */
  source: ExperimentConfig
}

export type CompiledHoldout = {
  /** A share, 0 to 0.2. */
  share: number
  /** Whether visitors without consent to tests are held out per page view. */
  pageviews: boolean
  phase: number
  goals: readonly CompiledGoal[]
}

/** A slot as the experiments see it: its id and variants. */
type SlotView = { id: string; variants: readonly CompiledVariant[] }

// Tailor answers these paths itself: no page view there ever converts a page goal.
const TAILOR_PATH = /^\/_tailor(?:\/|$)/

function compileGoals(
  goals: readonly GoalConfig[],
  at: (string | number)[],
  issues: ConfigIssue[],
  pageGoalsNeverMatch: string | undefined
): CompiledGoal[] {
  const seen = new Set<string>()
  return goals.map((goal, i) => {
    const here = [...at, i]
    if (seen.has(goal.id)) {
      issues.push({
        path: joinPath([...here, 'id']),
        message: `Expected a goal id unique in this list. Got "${goal.id}" twice.`,
      })
    }
    seen.add(goal.id)
    let matches: CompiledGoal['matches']
    if (goal.type === 'page') {
      if (TAILOR_PATH.test(goal.path)) {
        issues.push({
          path: joinPath([...here, 'path']),
          message: `Never matches: Tailor answers /_tailor itself, so no page view there converts. Expected a page of the site. Got "${goal.path}".`,
        })
      } else if (pageGoalsNeverMatch) {
        issues.push({ path: joinPath([...here, 'path']), message: pageGoalsNeverMatch })
      }
      matches = pathPattern(goal.path)
    }
    return {
      id: goal.id,
      label: goal.label ?? goal.id,
      type: goal.type,
      primary: goal.primary,
      matches,
    }
  })
}

/** Cumulative weights, for draws against boundaries (no modulo). */
export function weightBounds(weights: readonly number[]): number[] {
  let total = 0
  return weights.map((w) => (total += w))
}

/**
 * Compile the `experiments` of one site against its slots. Experiments whose slot this site lacks
 * are left out. Problems are pushed for experiments not yet in `reported` (so each is said once,
 * by the first site that has its slot), which this adds them to.
 */
export function compileExperiments(
  config: Pick<Config, 'experiments'>,
  slots: readonly SlotView[],
  env: CompileEnv,
  issues: ConfigIssue[],
  reported: Set<number>
): CompiledExperiment[] {
  const out: CompiledExperiment[] = []
  const runningOn = new Map<string, string>()
  config.experiments.forEach((exp, i) => {
    const at: (string | number)[] = ['experiments', i]
    const slot = slots.find((s) => s.id === exp.slot)
    if (!slot) {
      return
    }
    const sink: ConfigIssue[] = reported.has(i) ? [] : issues
    reported.add(i)
    // A contextual bandit's cell comes from the request's context: naming its fields here puts
    // them in the set a page reads (`CompiledConfig.fields`), even when no rule names them.
    if (exp.allocation === 'bandit' && exp.status === 'running') {
      for (const field of exp.bandit.contextBy) {
        env.field(field)
      }
    }
    const condition = (c: Record<string, unknown> | undefined, field: string) => {
      if (c === undefined) {
        return undefined
      }
      const compiled = compileCondition(c, env)
      for (const issue of compiled.issues) {
        sink.push({ path: joinPath([...at, field, ...issue.path]), message: issue.message })
      }
      return compiled.condition
    }
    const seen = new Set<string>()
    const arms = exp.arms.map((arm, j): CompiledArm => {
      const here = [...at, 'arms', j]
      if (seen.has(arm.id)) {
        sink.push({
          path: joinPath([...here, 'id']),
          message: `Expected an arm id unique in this experiment. Got "${arm.id}" twice.`,
        })
      }
      seen.add(arm.id)
      let show: ArmShow = arm.rules ? { type: 'rules' } : { type: 'default' }
      if (arm.variant !== undefined) {
        const variant = slot.variants.find((v) => v.id === arm.variant)
        if (variant) {
          show = { type: 'variant', variant }
        } else {
          const ids = slot.variants.map((v) => `"${v.id}"`).join(', ') || 'none'
          sink.push({
            path: joinPath([...here, 'variant']),
            message: `Expected a variant of slot "${slot.id}" (${ids}). Got "${arm.variant}".`,
          })
        }
      }
      return { id: arm.id, label: arm.label ?? arm.id, weight: arm.weight, show }
    })
    let winner: number | undefined
    if (exp.winner !== undefined) {
      winner = exp.arms.findIndex((a) => a.id === exp.winner)
      if (exp.status !== 'stopped') {
        sink.push({
          path: joinPath([...at, 'winner']),
          message: `Expected "winner" only with "status": "stopped". Got status "${exp.status}".`,
        })
      } else if (winner === -1) {
        sink.push({
          path: joinPath([...at, 'winner']),
          message: `Expected one of this experiment's arms (${exp.arms.map((a) => `"${a.id}"`).join(', ')}). Got "${exp.winner}".`,
        })
        winner = undefined
      }
    }
    if (exp.status === 'running') {
      if (exp.arms.every((a) => a.weight === 0)) {
        sink.push({
          path: joinPath([...at, 'arms']),
          message: 'Expected weights with a sum above 0: no arm can be drawn. Got all 0.',
        })
      }
      const other = runningOn.get(exp.slot)
      if (other !== undefined) {
        sink.push({
          path: joinPath([...at, 'slot']),
          message: `Expected one running experiment per slot. Got "${exp.id}" and "${other}" both on slot "${exp.slot}".`,
        })
      } else {
        runningOn.set(exp.slot, exp.id)
      }
    }
    out.push({
      id: exp.id,
      label: exp.label,
      slot: exp.slot,
      status: exp.status,
      winner,
      phase: exp.phase,
      audience: condition(exp.audience, 'audience'),
      exclude: condition(exp.exclude, 'exclude'),
      coverage: exp.coverage,
      arms,
      bounds: weightBounds(arms.map((a) => a.weight)),
      goals: compileGoals(
        exp.goals,
        [...at, 'goals'],
        sink,
        exp.unit === 'pageview'
          ? 'Never matches: a page-view unit keeps no assignment for a later page, so a page goal cannot be attributed. Expected a click or event goal, or "unit": "visitor".'
          : undefined
      ),
      unit: exp.unit,
      fallback: exp.fallback,
      allocation: exp.allocation,
      count: exp.count,
      source: exp,
    })
  })
  return out
}

/**
 * The checks that span sites: experiment ids unique, and each experiment's slot known somewhere
 * (the top-level slots or a host's).
 */
export function checkExperimentSlots(
  config: Pick<Config, 'experiments'>,
  slotIds: ReadonlySet<string>,
  issues: ConfigIssue[]
): void {
  const ids = new Set<string>()
  config.experiments.forEach((exp, i) => {
    if (ids.has(exp.id)) {
      issues.push({
        path: joinPath(['experiments', i, 'id']),
        message: `Expected an experiment id unique in the config. Got "${exp.id}" twice.`,
      })
    }
    ids.add(exp.id)
    if (!slotIds.has(exp.slot)) {
      const known = [...slotIds].map((s) => `"${s}"`).join(', ') || 'none'
      issues.push({
        path: joinPath(['experiments', i, 'slot']),
        message: `Expected a slot id (${known}). Got "${exp.slot}".`,
      })
    }
  })
}

/** The holdout compiled, or undefined when there is none (absent or 0%). */
export function compileHoldout(
  holdout: HoldoutConfig | undefined,
  issues: ConfigIssue[]
): CompiledHoldout | undefined {
  if (!holdout) {
    return undefined
  }
  const goals = compileGoals(holdout.goals, ['holdout', 'goals'], issues, undefined)
  return holdout.percent > 0
    ? {
        share: holdout.percent / 100,
        pageviews: holdout.fallback === 'pageview',
        phase: holdout.phase,
        goals,
      }
    : undefined
}

/** One finding `npm run check` prints as a warning (the worker accepts the config). */
export type ExperimentWarning = { path: string; message: string }

/**
 * What a site owner should hear about the experiments that is not an error, in experiment order:
 * unreachable arms, no coverage, page goals without consent, click goals that can never count
 * (./experiments-links.ts).
 * @example lintExperiments(config) // [{ path: 'experiments[0].arms[1]', message: 'Never drawn: …' }]
 */
export function lintExperiments(
  config: Pick<Config, 'experiments' | 'slots' | 'hosts'>
): ExperimentWarning[] {
  const out: ExperimentWarning[] = []
  const clicks = clickGoalWarnings(config)
  const ofExperiment = (i: number) => clicks.filter((w) => w.path.startsWith(`experiments[${i}].`))
  config.experiments.forEach((exp, i) => {
    const at = ['experiments', i]
    if (exp.status !== 'running') {
      // A draft is about to run: it hears now that a click goal could never count.
      out.push(...ofExperiment(i))
      return
    }
    exp.arms.forEach((arm, j) => {
      if (arm.weight === 0 && exp.arms.some((a) => a.weight > 0)) {
        out.push({
          path: joinPath([...at, 'arms', j]),
          message: `Unreachable for new units: weight 0, so "${arm.id}" is never drawn (units already enrolled keep it). Expected a weight above 0, or remove the arm.`,
        })
      }
    })
    if (exp.coverage === 0) {
      out.push({
        path: joinPath([...at, 'coverage']),
        message: 'Coverage 0: nobody is enrolled. Expected a share above 0, or "status": "draft".',
      })
    }
    if (exp.unit === 'visitor') {
      exp.goals.forEach((goal, j) => {
        if (goal.type === 'page' && exp.fallback === 'pageview') {
          out.push({
            path: joinPath([...at, 'goals', j]),
            message:
              'A page goal counts only for visitors who agreed to tests: those drawn per page view (fallback "pageview") keep no assignment for a later page.',
          })
        }
      })
    }
    out.push(...ofExperiment(i))
  })
  return out
}
