// The checks `npm run check` adds to the worker's own validation: dead variants, risky or thin config.
import type { Config, Slot } from '../src/config'
import { joinPath } from '../src/config'

/** One finding about a config, at a dot path such as `slots.hero.variants[2]`. */
export type LintIssue = { severity: 'error' | 'warning'; path: string; message: string }

/** A group of slots and the path segments that lead to it: top-level `slots`, or a host's. */
export type SlotGroup = { at: (string | number)[]; slots: Record<string, Slot> }

/**
 * Every set of slots in the config: the top level, then each `hosts` entry (when the schema has
 * them).
 * @example slotGroups(config).map((g) => g.at.join('.')) // ['slots', 'hosts.shop.example.com.slots']
 */
export function slotGroups(config: Config): SlotGroup[] {
  const groups: SlotGroup[] = [{ at: ['slots'], slots: config.slots }]
  const hosts = (config as { hosts?: Record<string, { slots: Record<string, Slot> }> }).hosts
  for (const [host, site] of Object.entries(hosts ?? {})) {
    groups.push({ at: ['hosts', host, 'slots'], slots: site.slots })
  }
  return groups
}

/**
 * Elements whose end tag HTML lets a page leave out (WHATWG HTML §13.1.2.4 "Optional tags"), or
 * that another element's end tag closes (any heading end tag closes an open heading, §13.2.6.4.7).
 * A browser closes them implicitly; HTMLRewriter does not, so replacing the content of one the
 * page leaves open replaces everything up to its parent's end.
 */
export const IMPLIED_END: ReadonlySet<string> = new Set([
  'head',
  'li',
  'dt',
  'dd',
  'p',
  'rb',
  'rt',
  'rtc',
  'rp',
  'optgroup',
  'option',
  'colgroup',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
])

/** How the lint's implied-end-tag warning starts (check --against drops it where a page proves it moot). */
export const IMPLIED_LINT = 'Replaces or removes the content of'

/** Actions that replace or remove the element's content: the ones an implied end tag misleads. */
export const CONTENT_ACTIONS: ReadonlySet<string> = new Set([
  'html',
  'text',
  'template',
  'why',
  'remove',
])

/**
 * The element names a selector's subjects name: for each comma-separated selector, the type
 * selector of its last compound, or undefined when it names none (`#hero`, `[data-x]`, `*`).
 * @example selectorTags('main p.lead, li > a, #hero') // ['p', 'a', undefined]
 */
export function selectorTags(selector: string): (string | undefined)[] {
  const out: (string | undefined)[] = []
  let depth = 0 // inside [...] or (...)
  let quote = ''
  let subject = 0 // where the current last compound starts
  const finish = (end: number) => {
    const tag = /^[a-z][a-z0-9-]*/i.exec(selector.slice(subject, end).trim())?.[0]
    out.push(tag?.toLowerCase())
  }
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i] as string
    if (quote) {
      if (ch === '\\') {
        i++
      } else if (ch === quote) {
        quote = ''
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === '[' || ch === '(') {
      depth++
    } else if (ch === ']' || ch === ')') {
      depth--
    } else if (depth === 0 && ch === ',') {
      finish(i)
      subject = i + 1
    } else if (depth === 0 && /[\s>+~]/.test(ch)) {
      // A combinator: the subject is what follows it (skip the run of spaces and symbols).
      let j = i
      while (j < selector.length && /[\s>+~]/.test(selector[j] as string)) {
        j++
      }
      if (j < selector.length && selector[j] !== ',' && selector.slice(subject, i).trim()) {
        subject = j
      }
      i = j - 1
    }
  }
  finish(selector.length)
  // An unbalanced selector is reported by compileConfig; nothing to tell from it here.
  return depth === 0 && !quote ? out : []
}

/** A `when` that always holds: absent, or `{}` (an empty condition matches everything). */
function unconditional(when: Record<string, unknown> | undefined): boolean {
  return when === undefined || Object.keys(when).length === 0
}

/**
 * Findings the worker does not reject but a site owner wants to hear about, in config order.
 * Errors: a variant that can never be chosen (an earlier one always applies). Warnings: a slot
 * with no variants, a content-replacing slot on an element whose end tag is optional, an `html`
 * action with `<script`, a variant without a label.
 * @example lintConfig(config) // [{ severity: 'warning', path: 'slots.hero.variants[0]', message: 'No "label": …' }]
 */
export function lintConfig(config: Config): LintIssue[] {
  const out: LintIssue[] = []
  for (const group of slotGroups(config)) {
    for (const [id, slot] of Object.entries(group.slots)) {
      const at = [...group.at, id]
      if (slot.variants.length === 0) {
        out.push({
          severity: 'warning',
          path: joinPath([...at, 'variants']),
          message: "No variants: every visitor sees the origin's content. Expected at least one.",
        })
      }
      const replacing = slot.variants.filter((v) => CONTENT_ACTIONS.has(v.action.type))
      const implied = [...new Set(selectorTags(slot.selector))].filter(
        (tag): tag is string => tag !== undefined && IMPLIED_END.has(tag)
      )
      if (replacing.length && implied.length) {
        const names = implied.map((t) => `<${t}>`).join(', ')
        out.push({
          severity: 'warning',
          path: joinPath([...at, 'selector']),
          message: `${IMPLIED_LINT} ${names}, which a browser may close without an end tag; HTMLRewriter does not, so where the page leaves one open the variant takes everything up to its parent's end. Expected a slot on an element with a required end tag (div, section, span…); \`--against\` checks a page.`,
        })
      }
      let always: number | undefined
      slot.variants.forEach((variant, i) => {
        const vat = [...at, 'variants', i]
        if (always !== undefined) {
          const first = slot.variants[always]
          out.push({
            severity: 'error',
            path: joinPath(vat),
            message: `Never chosen: variants[${always}] ("${first?.id}") has no condition and always applies first. Expected variants without "when" last.`,
          })
        } else if (unconditional(variant.when)) {
          always = i
        }
        if (variant.label === undefined) {
          out.push({
            severity: 'warning',
            path: joinPath(vat),
            message: `No "label": the preview and the preference centre will show the id "${variant.id}".`,
          })
        }
        if (variant.action.type === 'html' && /<script/i.test(variant.action.html)) {
          out.push({
            severity: 'warning',
            path: joinPath([...vat, 'action', 'html']),
            message:
              'Contains "<script": this markup runs as script on every page the variant reaches. Keep scripts on the origin.',
          })
        }
      })
    }
  }
  return out
}
