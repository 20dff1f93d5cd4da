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

/** A `when` that always holds: absent, or `{}` (an empty condition matches everything). */
function unconditional(when: Record<string, unknown> | undefined): boolean {
  return when === undefined || Object.keys(when).length === 0
}

/**
 * Findings the worker does not reject but a site owner wants to hear about, in config order.
 * Errors: a variant that can never be chosen (an earlier one always applies). Warnings: a slot
 * with no variants, an `html` action with `<script`, a variant without a label.
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
