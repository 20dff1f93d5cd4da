// Click goals that can never count: arms whose block, as the config writes it, has no link to follow.
import type { ArmConfig, ExperimentConfig, GoalConfig } from './experiments'
import { joinPath } from './issues'
import type { Action, Config, Slot } from './schema'

/** One finding `npm run check` prints as a warning (the worker accepts the config). */
type Warning = { path: string; message: string }

// An <a> start tag with an href attribute: what the ping's selector `a[href]` matches.
const LINK = /<a(?=[\s/>])[^>]*?[\s/"']href(?=[\s=/>])/i
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g

/**
 * Whether markup has a link a click goal can count: an `<a>` start tag with an `href` attribute,
 * the elements the ping's selector `a[href]` marks, outside comments.
 *
 * Beware: a pattern, not a parser. It reads `<a title="x>y" href="/">` as having no link (a `>`
 * inside a quoted value ends the tag for it); config markup that odd is rare, and the cost is
 * a warning too many, never one too few for markup without any `<a … href`.
 * @example hasLink('<p><a class="button" href="/shop/">Shop</a></p>') // true
 * @example hasLink('<h2>Recommended for you</h2>') // false
 */
export function hasLink(html: string): boolean {
  return LINK.test(html.replace(COMMENT, ''))
}

/** Why a block an action shows never has a link, whatever the page; undefined when it may. */
function linklessBecause(action: Action): string | undefined {
  switch (action.type) {
    case 'html':
      return hasLink(action.html) ? undefined : 'has no link (<a href>) in its html'
    case 'text':
      return 'replaces the block with text'
    case 'hide':
      return 'hides the block'
    case 'remove':
      return 'removes the block'
    default:
      // template and attributes show the page's markup (check --against reads it); why is a link.
      return undefined
  }
}

/**
 * The click goal an experiment counts: its first. Only that goal's index rides on the ping of the
 * block's links (src/experiments/links.ts), so a second click goal never counts.
 * @example clickGoalOf(experiment) // { goal: { id: 'story-click', type: 'click', … }, index: 0 }
 */
export function clickGoalOf(
  exp: Pick<ExperimentConfig, 'goals'>
): { goal: GoalConfig; index: number } | undefined {
  const index = exp.goals.findIndex((g) => g.type === 'click')
  const goal = exp.goals[index]
  return goal ? { goal, index } : undefined
}

/**
 * What of the page's own markup an arm shows in its slot, for a check against a page: `page` (the
 * origin's block: a `default` arm, or a variant that only sets attributes), `page-unless-rules`
 * (a `rules` arm on a slot where every variant has a condition: the origin's block whenever none
 * applies), `template` (the `<template>` it names), or undefined (markup from the config).
 * @example pageShownBy({ id: 'a', weight: 1, default: true }, slot) // { kind: 'page' }
 */
export function pageShownBy(
  arm: ArmConfig,
  slot: Slot
): { kind: 'page' } | { kind: 'page-unless-rules' } | { kind: 'template'; id: string } | undefined {
  if (arm.default) {
    return { kind: 'page' }
  }
  if (arm.rules) {
    const always = slot.variants.some((v) => v.when === undefined || !Object.keys(v.when).length)
    return always ? undefined : { kind: 'page-unless-rules' }
  }
  const action = slot.variants.find((v) => v.id === arm.variant)?.action
  if (action?.type === 'attributes') {
    return { kind: 'page' }
  }
  return action?.type === 'template' ? { kind: 'template', id: action.id } : undefined
}

/** Every set of slots an experiment may run on: the top level, then each host's. */
function slotSets(config: Pick<Config, 'slots' | 'hosts'>) {
  return [
    { at: ['slots'], slots: config.slots },
    ...Object.entries(config.hosts).map(([host, site]) => ({
      at: ['hosts', host, 'slots'],
      slots: site.slots,
    })),
  ]
}

/**
 * The click goals of draft and running experiments that can never count, from the config alone:
 * a second click goal; a `variant` arm whose variant has no link (html without `<a href>`, text,
 * hide, remove); a `rules` arm whose slot's rules may choose such a variant. What a `default`,
 * `template` or `attributes` arm shows is the page's: `npm run check -- --against` reads it.
 * @example clickGoalWarnings(config) // [{ path: 'experiments[1].arms[1]', message: 'No link to click: variant "short" (slots.news.variants[0]) has no link…' }]
 */
export function clickGoalWarnings(
  config: Pick<Config, 'experiments' | 'slots' | 'hosts'>
): Warning[] {
  const out: Warning[] = []
  const sets = slotSets(config)
  config.experiments.forEach((exp, i) => {
    const click = clickGoalOf(exp)
    if (exp.status === 'stopped' || !click) {
      return
    }
    const at = ['experiments', i]
    const goal = `click goal "${click.goal.id}"`
    exp.goals.forEach((g, j) => {
      if (g.type === 'click' && j !== click.index) {
        out.push({
          path: joinPath([...at, 'goals', j]),
          message: `Never counts: the links' ping carries only the experiment's first click goal ("${click.goal.id}"). Expected one click goal per experiment, or an event goal.`,
        })
      }
    })
    const expected =
      'Expected a link (<a href>) in what the arm shows, or a page or event goal for it.'
    for (const set of sets) {
      const slot = set.slots[exp.slot]
      if (!slot) {
        continue
      }
      const variantAt = (k: number) => joinPath([...set.at, exp.slot, 'variants', k])
      exp.arms.forEach((arm, j) => {
        if (arm.variant !== undefined) {
          const variant = slot.variants.find((v) => v.id === arm.variant)
          // An unknown variant is compileConfig's error.
          const why = variant && linklessBecause(variant.action)
          const k = variant ? slot.variants.indexOf(variant) : -1
          if (why) {
            out.push({
              path: joinPath([...at, 'arms', j]),
              message: `No link to click: variant "${arm.variant}" (${variantAt(k)}) ${why}, so ${goal} never counts for this arm. ${expected}`,
            })
          }
        } else if (arm.rules) {
          const linkless = slot.variants.flatMap((v, k) => {
            const why = linklessBecause(v.action)
            return why ? [`variant "${v.id}" (${variantAt(k)}), which ${why}`] : []
          })
          if (linkless.length) {
            out.push({
              path: joinPath([...at, 'arms', j]),
              message: `No link to click for some visitors: this arm shows the slot's normal decision, and ${goal} never counts when the rules choose ${linkless.join(', or ')}. Expected a link (<a href>) in every variant the rules may show, or a page or event goal.`,
            })
          }
        }
      })
    }
  })
  return out
}
