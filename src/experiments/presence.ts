// Which slots this isolate last found in the streamed page of a path: a prediction for the cookie bit.

/**
 * Per-isolate memory of path → slots whose element was in that page the last time it streamed.
 * The first-exposure bit must go out in the response headers, before the body streams; this
 * predicts whether the block will be there. Keyed by path only: nothing about any visitor.
 * Bounded: the oldest path goes first.
 * @example
 * const presence = createPresence()
 * presence.remember('/', ['hero'], new Set(['hero'])); presence.expects('/', 'hero') // true
 */
export function createPresence(max = 500) {
  const paths = new Map<string, Set<string>>()
  return {
    /** Whether the slot was in this path's page last time (false when the path is new here). */
    expects(path: string, slot: string): boolean {
      return paths.get(path)?.has(slot) === true
    },
    /** After a page streamed to the end: of the slots it could hold, those it did. */
    remember(path: string, considered: Iterable<string>, seen: ReadonlySet<string>): void {
      let known = paths.get(path)
      if (!known) {
        if (paths.size >= max) {
          const oldest = paths.keys().next().value
          if (oldest !== undefined) {
            paths.delete(oldest)
          }
        }
        known = new Set()
        paths.set(path, known)
      }
      for (const slot of considered) {
        if (seen.has(slot)) {
          known.add(slot)
        } else {
          known.delete(slot)
        }
      }
    },
  }
}

/** The isolate's memory, shared by every request it serves. */
export const presence = createPresence()
