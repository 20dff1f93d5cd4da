// One log line per event, prefixed with the module; never cookie values or secrets.

/** Log a problem Tailor recovered from (it failed open). */
export function logWarn(module: string, message: string): void {
  console.warn(`tailor/${module}: ${message}`)
}

const said = new Set<string>()

/** Log a message once per isolate (e.g. a bad config, which would otherwise log on every request). */
export function logOnce(module: string, message: string): void {
  const key = `${module}\u0000${message}`
  if (said.has(key)) {
    return
  }
  if (said.size < 100) {
    said.add(key)
  }
  logWarn(module, message)
}

/** The error's message without its stack, bounded; never the request's data. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return text.slice(0, 300)
}
