// Config problems as messages that point at the field: "config: slots.hero.selector: …".

/** One problem in a config document. `path` is a dot path such as `slots.hero.variants[2].when`. */
export type ConfigIssue = { path: string; message: string }

/** Join path segments the way people read them: `slots.hero.variants[2].when.country`. */
export function joinPath(segments: readonly (string | number)[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') {
      out += `[${s}]`
    } else if (/^[A-Za-z_$][\w$-]*$/.test(s)) {
      out += out === '' ? s : `.${s}`
    } else {
      out += `[${JSON.stringify(s)}]`
    }
  }
  return out
}

/**
 * One line per issue, prefixed so a log reader knows where to look.
 * @example formatIssues([{ path: 'version', message: 'Expected 1. Got 2.' }]) // ['config: version: Expected 1. Got 2.']
 */
export function formatIssues(issues: readonly ConfigIssue[], prefix = 'config'): string[] {
  return issues.map((i) =>
    i.path ? `${prefix}: ${i.path}: ${i.message}` : `${prefix}: ${i.message}`
  )
}

/** Thrown by `tailor()` callers that want a loud failure; the middleware itself fails open. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[]
  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues).join('\n'))
    this.name = 'ConfigError'
    this.issues = issues
  }
}
