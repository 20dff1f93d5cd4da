// The demo config guard: a config written for the embedded demo site never personalises a real one.

/** What the log and /_tailor/health say when the demo config meets a real origin. */
export const DEMO_CONFIG_WARNING =
  'The config is the demo\'s ("demo": true) and ORIGIN points at another site: pages pass through untouched. Run `npm run init` to write your own config.'

/**
 * Whether a config marked `"demo": true` is in front of a site other than the embedded demo: any
 * non-empty origin (a URL or "self") is another site. Returns the warning to log, or undefined.
 * @example demoMismatch(true, 'https://www.example.com') // DEMO_CONFIG_WARNING
 */
export function demoMismatch(demo: boolean, origin: string | undefined): string | undefined {
  return demo && origin ? DEMO_CONFIG_WARNING : undefined
}
