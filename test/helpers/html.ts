// Builders for streamed HTML responses: the same page whole and split at awkward places.

/** A response whose body arrives in the given pieces (each its own chunk). */
export function chunkedResponse(pieces: readonly string[], headers: HeadersInit = {}): Response {
  const enc = new TextEncoder()
  const queue = [...pieces]
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift()
      if (next === undefined) {
        controller.close()
      } else {
        controller.enqueue(enc.encode(next))
      }
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', ...headers } })
}

/** Split a string at every given offset. */
export function splitAt(text: string, offsets: readonly number[]): string[] {
  const out: string[] = []
  let last = 0
  for (const at of [...offsets].sort((a, b) => a - b)) {
    out.push(text.slice(last, at))
    last = at
  }
  out.push(text.slice(last))
  return out
}

/**
 * Ways to cut a page: whole, one byte at a time, and in the middle of every tag and text node
 * (each cut at the midpoint between two successive '<').
 */
export function splits(html: string): string[][] {
  const mids: number[] = []
  let prev = 0
  for (let i = 1; i < html.length; i++) {
    if (html[i] === '<') {
      mids.push(Math.floor((prev + i) / 2))
      prev = i
    }
  }
  const everyThird = Array.from({ length: Math.floor(html.length / 3) }, (_, i) => (i + 1) * 3)
  return [[html], splitAt(html, mids), splitAt(html, everyThird), [...html]]
}
