// The byte stage after HTMLRewriter: resolves the markers its handlers insert (template slots, summary).

/**
 * How many bytes of one slot's own content are held back while looking for its chosen
 * `<template>`. Past it, the slot's original bytes are sent and the template is no longer looked for.
 */
export const HOLD_LIMIT = 64 * 1024

/** Marker kinds: slot start and end, chosen template's content start and end, body summary. */
export type MarkerKind = 'S' | 'E' | 'I' | 'C' | 'B'

const LT = 0x3c
const enc = new TextEncoder()

/**
 * The marker text for one kind and edit index: an HTML comment whose prefix carries a random
 * nonce, so the page itself can never spell one. Markers never reach the client: the stage strips them.
 * @example markerPrefix('0f1e2d3c4b5a6978') // '<!--tailor-0f1e2d3c4b5a6978-'; marker: prefix + 'S3-->'
 */
export function markerPrefix(nonce: string): string {
  return `<!--tailor-${nonce}-`
}

/** A fresh nonce for one response (64 random bits, hex). */
export function markerNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

type Mode = 'out' | 'hold' | 'pass' | 'render' | 'skip'

/** What the stage reports back to the rewriter. */
export type StageHooks = {
  /** Bytes for the client, in order. */
  emit(bytes: Uint8Array): void
  /** The slot of template edit `index` kept the origin's content (template absent or too far in). */
  kept(index: number): void
  /** The summary comment's bytes, built when its marker is reached (all slots before it are known). */
  summary(): Uint8Array | undefined
}

/**
 * Resolves markers in HTMLRewriter's output, a chunk at a time (a marker may be split anywhere).
 *
 * For a `template` slot, the rewriter leaves the slot untouched and only marks it: `S` after its
 * start tag, `E` before its end tag, and `I`/`C` around the content of the chosen template. The
 * stage holds the slot's bytes from `S` on. At `I` the template exists: the held bytes are
 * dropped, the template's content streams, and the rest of the slot is dropped up to `E`. At `E`
 * without `I`, or past HOLD_LIMIT, the held bytes go out as they came: the origin's block,
 * byte for byte.
 *
 * Beware: markers of another edit inside a held slot are stripped and ignored, so a template slot
 * nested in another template slot keeps its origin's content.
 */
export class MarkerStage {
  private readonly prefix: Uint8Array
  private carry: Uint8Array | undefined
  private mode: Mode = 'out'
  private region = -1
  private depth = 0
  private templateDepth = 0
  private held: Uint8Array[] = []
  private heldBytes = 0
  private summarised = false

  constructor(
    nonce: string,
    private readonly hooks: StageHooks
  ) {
    this.prefix = enc.encode(markerPrefix(nonce))
  }

  /** Take one chunk of the rewriter's output. */
  push(chunk: Uint8Array): void {
    let buf = chunk
    if (this.carry) {
      buf = new Uint8Array(this.carry.byteLength + chunk.byteLength)
      buf.set(this.carry)
      buf.set(chunk, this.carry.byteLength)
      this.carry = undefined
    }
    let start = 0 // first byte not yet routed
    let from = 0 // where to look for the next '<'
    for (;;) {
      const lt = buf.indexOf(LT, from)
      if (lt < 0) {
        break
      }
      const found = this.match(buf, lt)
      if (found === 0) {
        from = lt + 1
        continue
      }
      if (found < 0) {
        // A marker may continue in the next chunk: keep its start back.
        this.route(buf.subarray(start, lt))
        this.carry = buf.slice(lt)
        return
      }
      this.route(buf.subarray(start, lt))
      this.marker(buf, lt + this.prefix.byteLength, lt + found)
      start = from = lt + found
    }
    this.route(buf.subarray(start))
  }

  /**
   * The rewriter's output ended. A held slot goes out as it came; with `complete` (a normal end),
   * a summary whose marker never came (no `</body>`) goes at the very end.
   */
  end(complete: boolean): void {
    if (this.carry) {
      const carry = this.carry
      this.carry = undefined
      this.route(carry)
    }
    if (this.mode === 'hold') {
      this.release()
    }
    this.mode = 'out'
    if (complete && !this.summarised) {
      this.summarised = true
      const text = this.hooks.summary()
      if (text) {
        this.hooks.emit(text)
      }
    }
  }

  /** The marker's length if one starts at `at`, -1 if one may (the chunk ends first), else 0. */
  private match(buf: Uint8Array, at: number): number {
    const p = this.prefix
    let i = 0
    for (; i < p.byteLength; i++) {
      if (at + i >= buf.byteLength) {
        return -1
      }
      if (buf[at + i] !== p[i]) {
        return 0
      }
    }
    // kind, digits, then "-->"
    let j = at + i + 1
    if (j > buf.byteLength) {
      return -1
    }
    if (!'SEICB'.includes(String.fromCharCode(buf[at + i] as number))) {
      return 0
    }
    while (j < buf.byteLength && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x39) {
      j++
    }
    for (const ch of [0x2d, 0x2d, 0x3e]) {
      if (j >= buf.byteLength) {
        return -1
      }
      if (buf[j] !== ch) {
        return 0
      }
      j++
    }
    return j - at
  }

  private marker(buf: Uint8Array, at: number, end: number): void {
    const kind = String.fromCharCode(buf[at] as number) as MarkerKind
    let index = 0
    for (let k = at + 1; k < end - 3; k++) {
      index = index * 10 + ((buf[k] as number) - 0x30)
    }
    if (kind === 'B') {
      if (!this.summarised) {
        this.summarised = true
        const text = this.hooks.summary()
        if (text) {
          // Never dropped, even inside a slot being replaced.
          if (this.mode === 'hold') {
            this.hold(text)
          } else {
            this.hooks.emit(text)
          }
        }
      }
      return
    }
    if (this.mode === 'out') {
      if (kind === 'S') {
        this.mode = 'hold'
        this.region = index
        this.depth = 1
        this.templateDepth = 0
      }
      return
    }
    if (index !== this.region) {
      return
    }
    switch (kind) {
      case 'S':
        this.depth++
        break
      case 'E':
        this.depth--
        if (this.depth === 0) {
          if (this.mode === 'hold') {
            this.release()
          }
          this.mode = 'out'
        }
        break
      case 'I':
        if (this.mode === 'hold') {
          // The chosen template is here: the slot's other content goes, its content streams.
          this.held = []
          this.heldBytes = 0
          this.mode = 'render'
          this.templateDepth = 1
        } else if (this.mode === 'render') {
          this.templateDepth++
        }
        break
      case 'C':
        if (this.mode === 'render' && --this.templateDepth === 0) {
          this.mode = 'skip'
        }
        break
    }
  }

  private route(view: Uint8Array): void {
    if (view.byteLength === 0) {
      return
    }
    // A part of a chunk gets its own buffer: the runtime may detach a buffer it is handed.
    const whole = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    const bytes = whole ? view : view.slice()
    switch (this.mode) {
      case 'hold':
        this.hold(bytes)
        if (this.heldBytes > HOLD_LIMIT) {
          // Too far in to keep waiting: the origin's bytes, and the rest of the slot as it comes.
          this.release()
          this.mode = 'pass'
        }
        break
      case 'skip':
        break
      default:
        this.hooks.emit(bytes)
    }
  }

  private hold(bytes: Uint8Array): void {
    this.held.push(bytes)
    this.heldBytes += bytes.byteLength
  }

  /** Send the held bytes as they came: this slot keeps the origin's content. */
  private release(): void {
    for (const bytes of this.held) {
      this.hooks.emit(bytes)
    }
    this.held = []
    this.heldBytes = 0
    this.hooks.kept(this.region)
  }
}
