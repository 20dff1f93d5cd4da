// What `npm run check` and `npm run config:push` share: check a config file (and a page), format it.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as v from 'valibot'
import type { Config, ConfigIssue } from '../src/config'
import {
  clickGoalOf,
  compileConfig,
  ConfigSchema,
  formatIssues,
  joinPath,
  lintExperiments,
  pageShownBy,
} from '../src/config'
import { skipReason } from '../src/proxy'
import type { OpenElement } from './check-implied'
import { impliedEnds } from './check-implied'
import { parseJson } from './check-json'
import type { SlotGroup } from './check-lint'
import { CONTENT_ACTIONS, IMPLIED_LINT, lintConfig, slotGroups } from './check-lint'
import type { MatchResult, Workerd } from './check-workerd'
import { startWorkerd } from './check-workerd'

/**
 * One problem found. `source` says what `path` points into: the config document (`slots.hero`),
 * the file itself (unreadable, or invalid JSON at `line`:`column`), or the page of `--against`.
 */
export type Problem = {
  severity: 'error' | 'warning'
  source: 'config' | 'file' | 'against'
  path: string
  message: string
  line?: number
  column?: number
}

/** One slot as HTMLRewriter saw it in the page of `--against`. */
export type SlotReport = {
  id: string
  /** Where the slot is in the config: `slots.hero`, `hosts["shop.example.com"].slots.hero`. */
  path: string
  selector: string
  /** False when the page's path is outside the slot's `paths` (production would skip it there). */
  applies: boolean
  paths: string[] | undefined
  matches: number
  /** For each `template` action: whether `<template data-tailor-variant="ID">` is in the slot. */
  templates: { id: string; found: boolean }[]
  /** Matched elements the page leaves open (a browser closes them without an end tag). */
  open: OpenElement[]
  /** Links (`a[href]`) in the matched elements, outside their templates: what a click goal needs. */
  links: number
}

/** The page as named, which slots were used (`slots`, or a host's own), and what each found. */
export type AgainstReport = { page: string; from: string; slots: SlotReport[] }

/** Everything `npm run check` found, in the order it prints it. */
export type CheckReport = {
  /** The config file as the user named it. */
  file: string
  problems: Problem[]
  slots: number
  variants: number
  against: AgainstReport | undefined
}

/** What to check, and where relative paths start. */
export type CheckOptions = {
  /** The config file as the user named it, e.g. "tailor.config.json". */
  file: string
  /** The directory relative paths are resolved against (the shell's, under `npm run`). */
  base: string
  /** The project directory (scripts/check-worker.ts, wrangler.toml). */
  root: string
  /** A page to match the slots against: an http(s) URL or a file path. */
  against?: string
}

/** A page to check slots against: its HTML, and where it came from. */
type Page = { html: string; url: URL | undefined }

const PAGE_TIMEOUT_MS = 15_000

/** Whether `against` names a URL (http/https) rather than a file. */
export function isUrl(against: string): boolean {
  return /^https?:\/\//i.test(against)
}

async function loadPage(
  against: string,
  base: string,
  problems: Problem[]
): Promise<Page | undefined> {
  const fail = (message: string) => {
    problems.push({ severity: 'error', source: 'against', path: against, message })
    return undefined
  }
  if (!isUrl(against)) {
    try {
      return { html: await readFile(resolve(base, against), 'utf8'), url: undefined }
    } catch (err) {
      return fail(`Could not read the page (${(err as Error).message}).`)
    }
  }
  let res: Response
  try {
    res = await fetch(against, {
      headers: { accept: 'text/html' },
      signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
    })
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    return fail(
      `Could not fetch the page (${cause?.code ?? cause?.message ?? (err as Error).message}).`
    )
  }
  if (!res.ok) {
    await res.body?.cancel()
    return fail(`Expected a 2xx response. Got HTTP ${res.status}.`)
  }
  // The worker's own rule for what it may rewrite (status, type, charset, no-transform…).
  const skip = skipReason('GET', res)
  if (skip) {
    problems.push({
      severity: 'warning',
      source: 'against',
      path: against,
      message: `Tailor would not rewrite this response (${skip}).`,
    })
  }
  return { html: await res.text(), url: new URL(res.url || against) }
}

/** The slots production would use for this page: its host's own, else the top-level ones. */
function groupFor(config: Config, url: URL | undefined): SlotGroup {
  const groups = slotGroups(config)
  const host = url?.hostname.toLowerCase()
  return groups.find((g) => g.at[0] === 'hosts' && g.at[1] === host) ?? (groups[0] as SlotGroup)
}

async function checkAgainst(
  config: Config,
  page: Page,
  label: string,
  workerd: Workerd,
  problems: Problem[]
): Promise<AgainstReport> {
  const group = groupFor(config, page.url)
  const slots = Object.entries(group.slots)
  const found = await workerd.match(
    page.html,
    slots.map(([, slot]) => slot.selector)
  )
  // The page as a browser builds it, to find the elements it closes without an end tag.
  const implied = impliedEnds(page.html)
  const reports = slots.map(([id, slot], i): SlotReport => {
    const at = [...group.at, id]
    const result = found[i] ?? {
      matches: 0,
      templates: [],
      elements: [],
      links: 0,
      templateLinks: {},
    }
    // As src/decide's slotApplies: `paths` are prefixes of the request path (a file has none).
    const path = page.url?.pathname
    const applies =
      path === undefined || slot.paths === undefined || slot.paths.some((p) => path.startsWith(p))
    if (applies && result.matches === 0) {
      problems.push({
        severity: 'warning',
        source: 'config',
        path: joinPath([...at, 'selector']),
        message: `Matches nothing in ${label}: the slot never changes there.`,
      })
    }
    const open = result.elements.flatMap((el) => implied(el) ?? [])
    const harmful = open.filter((el) => el.extra > 0)
    const first = harmful[0]
    if (applies && first && slot.variants.some((v) => CONTENT_ACTIONS.has(v.action.type))) {
      const more = harmful.length > 1 ? ` (and ${harmful.length - 1} more)` : ''
      problems.push({
        severity: 'warning',
        source: 'config',
        path: joinPath([...at, 'selector']),
        message: `Matches a <${first.tag}> at line ${first.line}${more} in ${label} that has no end tag: a browser closes it there, HTMLRewriter does not, so replacing or removing its content also takes the next ${first.extra} characters of the page. Expected a slot element the page closes itself (add </${first.tag}>, or mark a wrapper).`,
      })
    }
    if (applies && result.matches > 0) {
      // The page settles the lint's caution: moot, or said below with the line and the size.
      const where = joinPath([...at, 'selector'])
      const k = problems.findIndex((p) => p.path === where && p.message.startsWith(IMPLIED_LINT))
      if (k >= 0) {
        problems.splice(k, 1)
      }
    }
    const templates: SlotReport['templates'] = []
    slot.variants.forEach((variant, j) => {
      if (variant.action.type !== 'template') {
        return
      }
      const templateId = variant.action.id
      const ok = result.templates.includes(templateId)
      if (!templates.some((t) => t.id === templateId)) {
        templates.push({ id: templateId, found: ok })
      }
      if (applies && result.matches > 0 && !ok) {
        problems.push({
          severity: 'warning',
          source: 'config',
          path: joinPath([...at, 'variants', j, 'action', 'id']),
          message: `No <template data-tailor-variant="${templateId}"> inside ${slot.selector} in ${label}: this variant would leave the slot as the page has it.`,
        })
      }
    })
    return {
      id,
      path: joinPath(at),
      selector: slot.selector,
      applies,
      paths: slot.paths,
      matches: result.matches,
      templates,
      open,
      links: result.links,
    }
  })
  problems.push(...clickLinkProblems(config, group, reports, found, label))
  return { page: label, from: joinPath(group.at), slots: reports }
}

/**
 * The arms of draft and running experiments whose click goal can never count on this page: the
 * arm shows the page's own block (a `default` arm, an `attributes` variant, a `rules` arm when no
 * variant applies) and the slot's element has no link there, or it shows a `<template>` without one.
 * Slots the page lacks (warned above) or whose `paths` exclude it are skipped; config-only cases
 * (variants whose html has no link) come from lintExperiments.
 */
function clickLinkProblems(
  config: Config,
  group: SlotGroup,
  reports: readonly SlotReport[],
  found: readonly MatchResult[],
  label: string
): Problem[] {
  const out: Problem[] = []
  config.experiments.forEach((exp, i) => {
    const click = clickGoalOf(exp)
    const slot = group.slots[exp.slot]
    const k = reports.findIndex((r) => r.id === exp.slot)
    const result = found[k]
    if (exp.status === 'stopped' || !click || !slot || !result?.matches || !reports[k]?.applies) {
      return
    }
    const goal = `click goal "${click.goal.id}"`
    exp.arms.forEach((arm, j) => {
      const shown = pageShownBy(arm, slot)
      let message: string | undefined
      if ((shown?.kind === 'page' || shown?.kind === 'page-unless-rules') && result.links === 0) {
        const when = shown.kind === 'page' ? '' : ' whenever no variant applies'
        message = `No link to click in ${label}: ${slot.selector} has no <a href> there, and this arm shows the page's own block${when}, so ${goal} never counts for it. Expected a link in the block on the page, or a page or event goal for it.`
      } else if (
        shown?.kind === 'template' &&
        result.templates.includes(shown.id) &&
        !result.templateLinks[shown.id]
      ) {
        message = `No link to click in ${label}: <template data-tailor-variant="${shown.id}"> inside ${slot.selector} has no <a href>, so ${goal} never counts for this arm. Expected a link in the template, or a page or event goal for it.`
      }
      if (message) {
        out.push({
          severity: 'warning',
          source: 'config',
          path: joinPath(['experiments', i, 'arms', j]),
          message,
        })
      }
    })
  })
  return out
}

/**
 * Check a config file the way the worker will load it, plus the lint rules, and optionally match
 * its slots against a page. A bad file, config or page is a problem in the report, not a throw.
 * @example
 * const report = await checkConfigFile({ file: 'tailor.config.json', base: cwd, root: cwd })
 * console.log(formatReport(report).join('\n'))
 */
export async function checkConfigFile(options: CheckOptions): Promise<CheckReport> {
  const report: CheckReport = {
    file: options.file,
    problems: [],
    slots: 0,
    variants: 0,
    against: undefined,
  }
  const problems = report.problems
  const error = (source: Problem['source'], issue: ConfigIssue) =>
    problems.push({ severity: 'error', source, ...issue })

  let text: string
  try {
    text = await readFile(resolve(options.base, options.file), 'utf8')
  } catch (err) {
    error('file', { path: '', message: `Could not read the file (${(err as Error).message}).` })
    return report
  }
  const json = parseJson(text)
  if (!json.ok) {
    const { line, column, message } = json
    problems.push({ severity: 'error', source: 'file', path: '', message, line, column })
    return report
  }
  const parsed = v.safeParse(ConfigSchema, json.value)
  if (!parsed.success) {
    // The schema does not depend on the runtime: compileConfig under Node says what the worker would.
    const result = compileConfig(json.value)
    for (const issue of result.ok ? [] : result.issues) {
      error('config', issue)
    }
    return report
  }
  const config = parsed.output
  for (const group of slotGroups(config)) {
    const slots = Object.values(group.slots)
    report.slots += slots.length
    report.variants += slots.reduce((n, slot) => n + slot.variants.length, 0)
  }

  let workerd: Workerd | undefined
  try {
    try {
      workerd = await startWorkerd(options.root)
    } catch (err) {
      error('config', {
        path: '',
        message: `Could not start workerd to check selectors as HTMLRewriter will (${(err as Error).message}).`,
      })
    }
    // In workerd, compileConfig checks the selectors with HTMLRewriter; under Node it cannot.
    const compiled = workerd ? await workerd.compile(json.value) : compileConfig(json.value)
    for (const issue of compiled.ok ? [] : compiled.issues) {
      error('config', issue)
    }
    const lint = [
      ...lintConfig(config),
      // The experiments' warnings (src/config/experiments-compile.ts); their errors come from compile.
      ...lintExperiments(config).map((w) => ({ severity: 'warning' as const, ...w })),
    ]
    for (const { severity, path, message } of lint) {
      problems.push({ severity, source: 'config', path, message })
    }
    if (options.against !== undefined && workerd) {
      if (problems.some((p) => p.severity === 'error')) {
        return report
      }
      const page = await loadPage(options.against, options.base, problems)
      if (page) {
        report.against = await checkAgainst(config, page, options.against, workerd, problems)
      }
    }
  } finally {
    await workerd?.dispose()
  }
  return report
}

/** The problem as one line without its severity: `config: slots.hero.selector: …`. */
export function formatProblem(problem: Problem, file: string): string {
  switch (problem.source) {
    case 'file':
      return problem.line === undefined
        ? `${file}: ${problem.message}`
        : `${file}:${problem.line}:${problem.column}: Invalid JSON: ${problem.message}`
    case 'against':
      return `against: ${problem.path}: ${problem.message}`
    default:
      return formatIssues([problem])[0] as string
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function slotTable(against: AgainstReport): string[] {
  const idWidth = Math.max(...against.slots.map((s) => s.id.length))
  const selWidth = Math.max(...against.slots.map((s) => s.selector.length))
  const counts = against.slots.map((s) =>
    s.applies
      ? `${s.matches} ${s.matches === 1 ? 'match' : 'matches'}`
      : `not on this path (paths: ${(s.paths ?? []).join(', ')})`
  )
  const countWidth = Math.max(...counts.map((c) => c.length))
  const rows = against.slots.map((s, i) => {
    const templates = s.templates.length
      ? `templates: ${s.templates.map((t) => `${t.id} ${t.found ? '✓' : '✗'}`).join(' ')}`
      : ''
    const open = s.open.length
      ? `no end tag: ${s.open.map((o) => `<${o.tag}> line ${o.line}`).join(', ')}`
      : ''
    const cells = [s.id.padEnd(idWidth), s.selector.padEnd(selWidth), counts[i]?.padEnd(countWidth)]
    return `  ${[...cells, templates, open].filter((c, j) => j < 3 || c).join('  ')}`.trimEnd()
  })
  const from = against.from === 'slots' ? '' : ` (${against.from})`
  return [`against ${against.page}${from}:`, ...rows]
}

/**
 * The report as printed: the slot table (with `--against`), one line per problem (errors first),
 * then the summary line.
 * @example formatReport(report) // ['warning: config: slots.hero.variants[0]: No "label": …', 'tailor.config.json: 0 errors, 1 warning']
 */
export function formatReport(report: CheckReport): string[] {
  const lines = report.against?.slots.length ? slotTable(report.against) : []
  const errors = report.problems.filter((p) => p.severity === 'error')
  const warnings = report.problems.filter((p) => p.severity === 'warning')
  for (const p of [...errors, ...warnings]) {
    lines.push(`${p.severity}: ${formatProblem(p, report.file)}`)
  }
  lines.push(
    errors.length || warnings.length
      ? `${report.file}: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}`
      : `${report.file}: OK (${plural(report.slots, 'slot')}, ${plural(report.variants, 'variant')})`
  )
  return lines
}

/** 1 when there are errors, or warnings under `--strict`; else 0. */
export function exitCode(report: CheckReport, strict: boolean): 0 | 1 {
  const failing = report.problems.filter((p) => p.severity === 'error' || strict)
  return failing.length ? 1 : 0
}

/**
 * The report for `--json`: `ok` is what the exit code says; each problem carries its printed `text`.
 * @example JSON.stringify(reportJson(report, false), null, 2)
 */
export function reportJson(report: CheckReport, strict: boolean) {
  const withText = (p: Problem) => ({ ...p, text: formatProblem(p, report.file) })
  return {
    file: report.file,
    ok: exitCode(report, strict) === 0,
    strict,
    errors: report.problems.filter((p) => p.severity === 'error').map(withText),
    warnings: report.problems.filter((p) => p.severity === 'warning').map(withText),
    slots: report.slots,
    variants: report.variants,
    against: report.against ?? null,
  }
}
