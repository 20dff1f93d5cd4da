// One log line per event, prefixed with the module; never cookie values or secrets.

/** Log a problem Tailor recovered from (it failed open). */
export function logWarn(module: string, message: string): void {
  console.warn(`tailor/${module}: ${message}`)
}

const said = new Set<string>()

/** Log a fact worth knowing that is no problem (wrangler shows it as a plain line, not a warning). */
export function logNote(module: string, message: string): void {
  console.info(`tailor/${module}: ${message}`)
}

/** Log a message once per isolate (e.g. a bad config, which would otherwise log on every request). */
export function logOnce(module: string, message: string, level: 'warn' | 'note' = 'warn'): void {
  const key = `${module}\u0000${message}`
  if (said.has(key)) {
    return
  }
  if (said.size < 100) {
    said.add(key)
  }
  if (level === 'note') {
    logNote(module, message)
  } else {
    logWarn(module, message)
  }
}

/** The error's message without its stack, bounded; never the request's data. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return text.slice(0, 300)
}
