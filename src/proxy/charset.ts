// The charset a page declares only in its markup: the WHATWG prescan of its first 1,024 bytes.
import { parseContentType } from './html'

/** How many bytes the prescan reads (HTML §13.2.3.2), and the most Tailor holds back. */
export const PRESCAN_BYTES = 1024

/**
 * Labels of UTF-8 (WHATWG Encoding Standard §4.2), plus US-ASCII, which Tailor has always
 * treated as a subset it may write UTF-8 into (the header rule in `skipReason` does the same).
 */
export const UTF8_LABELS: ReadonlySet<string> = new Set([
  'utf-8',
  'utf8',
  'unicode-1-1-utf-8',
  'unicode11utf8',
  'unicode20utf8',
  'x-unicode20utf8',
  'us-ascii',
])

/** Labels of UTF-16 (Encoding Standard): a `<meta>` that names one is read as UTF-8 (HTML §13.2.3.2). */
const UTF16_LABELS = new Set([
  'utf-16',
  'utf-16le',
  'utf-16be',
  'unicode',
  'unicodefeff',
  'unicodefffe',
  'ucs-2',
  'csunicode',
  'iso-10646-ucs-2',
])

const isSpace = (b: number | undefined) =>
  b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20
const isAlpha = (b: number | undefined) =>
  b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b)

/**
 * The encoding a label names, as the prescan needs it: "utf-8" for UTF-8 and UTF-16 labels,
 * "windows-1252" for x-user-defined, the label itself (lower-cased) for anything else, and
 * undefined for an empty label (a failure: the prescan goes on). Beware: an unknown label is not
 * told apart from a real non-UTF-8 one, so it passes the page through; that only ever spares a
 * page, it never writes UTF-8 into a page read another way.
 */
function encodingOf(label: string): string | undefined {
  const name = label.trim().toLowerCase()
  if (!name) {
    return undefined
  }
  if (UTF8_LABELS.has(name) || UTF16_LABELS.has(name)) {
    return 'utf-8'
  }
  return name === 'x-user-defined' ? 'windows-1252' : name
}

/** The charset in a `content` value such as "text/html; charset=Shift_JIS" (HTML §2.6.4). */
export function charsetFromContent(content: string): string | undefined {
  const text = content.toLowerCase()
  let at = 0
  for (;;) {
    const found = text.indexOf('charset', at)
    if (found === -1) {
      return undefined
    }
    let i = found + 7
    while (isSpace(text.charCodeAt(i))) {
      i++
    }
    if (text[i] !== '=') {
      at = i
      continue
    }
    i++
    while (isSpace(text.charCodeAt(i))) {
      i++
    }
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      const end = content.indexOf(quote, i + 1)
      return end === -1 ? undefined : content.slice(i + 1, end)
    }
    const rest = content.slice(i)
    const value = /^[^\t\n\f\r ;]*/.exec(rest)?.[0] ?? ''
    return value || undefined
  }
}

/** Reads attributes the way the prescan does ("get an attribute", HTML §13.2.3.2). */
class Scanner {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  get byte(): number | undefined {
    return this.bytes[this.pos]
  }

  startsWith(text: string, caseless = true): boolean {
    for (let k = 0; k < text.length; k++) {
      const b = this.bytes[this.pos + k]
      if (b === undefined || (caseless ? lower(b) : b) !== text.charCodeAt(k)) {
        return false
      }
    }
    return true
  }

  /** The next attribute as [name, value], null when there is none, undefined past the end. */
  attribute(): [string, string] | null | undefined {
    while (isSpace(this.byte) || this.byte === 0x2f) {
      this.pos++
    }
    if (this.byte === undefined) {
      return undefined
    }
    if (this.byte === 0x3e) {
      return null
    }
    let name = ''
    let value = ''
    for (;;) {
      const b = this.byte
      if (b === undefined) {
        return undefined
      }
      if (b === 0x3d && name) {
        this.pos++
        break
      }
      if (isSpace(b)) {
        while (isSpace(this.byte)) {
          this.pos++
        }
        if (this.byte !== 0x3d) {
          return [name, '']
        }
        this.pos++
        break
      }
      if (b === 0x2f || b === 0x3e) {
        return [name, '']
      }
      name += String.fromCharCode(lower(b))
      this.pos++
    }
    while (isSpace(this.byte)) {
      this.pos++
    }
    const first = this.byte
    if (first === undefined) {
      return undefined
    }
    if (first === 0x22 || first === 0x27) {
      for (;;) {
        this.pos++
        const b = this.byte
        if (b === undefined) {
          return undefined
        }
        if (b === first) {
          this.pos++
          return [name, value]
        }
        value += String.fromCharCode(lower(b))
      }
    }
    if (first === 0x3e) {
      return [name, '']
    }
    for (;;) {
      const b = this.byte
      if (b === undefined) {
        return undefined
      }
      if (isSpace(b) || b === 0x3e) {
        return [name, value]
      }
      value += String.fromCharCode(lower(b))
      this.pos++
    }
  }

  /** Skip to the byte after the next `>` (or the end). */
  skipPast(byte: number): void {
    while (this.byte !== undefined && this.byte !== byte) {
      this.pos++
    }
    this.pos++
  }
}

/**
 * The encoding a page's first bytes declare: a byte order mark, else the first `<meta charset>`
 * or `<meta http-equiv="content-type" content="…charset=…">` the WHATWG prescan finds ("prescan a
 * byte stream to determine its encoding", HTML §13.2.3.2), or undefined when there is none.
 * Returns "utf-8" for UTF-8 (and, as the spec says for `<meta>`, UTF-16) labels.
 * @example prescanCharset(new TextEncoder().encode('<meta charset="Shift_JIS">')) // 'shift_jis'
 */
export function prescanCharset(head: Uint8Array): string | undefined {
  const bytes = head.subarray(0, PRESCAN_BYTES)
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return 'utf-8'
  }
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    return 'utf-16' // A BOM wins over any declaration; the page is not ASCII-compatible.
  }
  const s = new Scanner(bytes)
  while (s.pos < bytes.length) {
    if (s.startsWith('<!--', false)) {
      // To the end of "-->", which may share its dashes with "<!--" ("<!-->").
      s.pos += 2
      while (
        s.byte !== undefined &&
        !(s.byte === 0x3e && bytes[s.pos - 1] === 0x2d && bytes[s.pos - 2] === 0x2d)
      ) {
        s.pos++
      }
      s.pos++
      continue
    }
    if (s.startsWith('<meta') && (isSpace(bytes[s.pos + 5]) || bytes[s.pos + 5] === 0x2f)) {
      s.pos += 5
      const seen = new Set<string>()
      let gotPragma = false
      let needPragma: boolean | undefined
      let charset: string | undefined
      for (;;) {
        const attr = s.attribute()
        if (attr === undefined) {
          return undefined // Ran out of bytes inside a tag: abort (the spec's "abort the prescan").
        }
        if (attr === null) {
          break
        }
        const [name, value] = attr
        if (seen.has(name)) {
          continue
        }
        seen.add(name)
        if (name === 'http-equiv' && value === 'content-type') {
          gotPragma = true
        } else if (name === 'content' && charset === undefined) {
          const found = charsetFromContent(value)
          if (found !== undefined) {
            charset = encodingOf(found)
            needPragma = true
          }
        } else if (name === 'charset') {
          charset = encodingOf(value)
          needPragma = false
        }
      }
      if (needPragma !== undefined && (!needPragma || gotPragma) && charset !== undefined) {
        return charset
      }
      s.pos++
      continue
    }
    if (
      s.byte === 0x3c &&
      (isAlpha(bytes[s.pos + 1]) || (bytes[s.pos + 1] === 0x2f && isAlpha(bytes[s.pos + 2])))
    ) {
      // Any other tag: skip its name, then its attributes.
      s.pos += 1
      while (bytes[s.pos] !== undefined && !isSpace(bytes[s.pos]) && bytes[s.pos] !== 0x3e) {
        s.pos++
      }
      let attr = s.attribute()
      while (attr) {
        attr = s.attribute()
      }
      if (attr === undefined) {
        return undefined
      }
      s.pos++
      continue
    }
    if (s.startsWith('<!', false) || s.startsWith('</', false) || s.startsWith('<?', false)) {
      s.skipPast(0x3e)
      continue
    }
    s.pos++
  }
  return undefined
}

/** Whether a charset from `prescanCharset` lets Tailor write UTF-8 into the page. */
export function isUtf8Charset(charset: string | undefined): boolean {
  return charset === undefined || UTF8_LABELS.has(charset)
}

/**
 * Read the first `PRESCAN_BYTES` of a response (fewer if it ends first), prescan them, and
 * return the charset with a response that streams the same bytes: the held chunks first, then
 * the rest of the origin's stream, piped natively (nothing else is held back). An error in the
 * origin's stream reaches the new stream, so a cut page never ends cleanly.
 * @example const { charset, response } = await sniffCharset(res)
 */
export async function sniffCharset(
  response: Response
): Promise<{ charset: string | undefined; response: Response }> {
  const body = response.body
  if (!body) {
    return { charset: undefined, response }
  }
  const reader = body.getReader()
  const held: Uint8Array[] = []
  let size = 0
  let ended = false
  let failure: { error: unknown } | undefined
  try {
    while (size < PRESCAN_BYTES) {
      const chunk = await reader.read()
      if (chunk.done) {
        ended = true
        break
      }
      held.push(chunk.value)
      size += chunk.value.byteLength
    }
  } catch (error) {
    // The origin failed within its first bytes: the new stream fails the same way, after them.
    failure = { error }
  }
  reader.releaseLock()
  const head = new Uint8Array(Math.min(size, PRESCAN_BYTES))
  let at = 0
  for (const chunk of held) {
    if (at >= head.length) {
      break
    }
    const part = chunk.subarray(0, head.length - at)
    head.set(part, at)
    at += part.length
  }
  const { readable, writable } = new IdentityTransformStream()
  const pump = async () => {
    const writer = writable.getWriter()
    for (const chunk of held) {
      await writer.write(chunk)
    }
    if (failure) {
      await writer.abort(failure.error)
      return
    }
    if (ended) {
      await writer.close()
      return
    }
    writer.releaseLock()
    await body.pipeTo(writable)
  }
  // pipeTo aborts the readable side when the origin's stream fails; nothing to do here.
  pump().catch(() => {})
  return { charset: prescanCharset(head), response: new Response(readable, response) }
}

/**
 * Before rewriting a page whose Content-Type names no charset: the page with its first bytes
 * prescanned, and `skip` set when the markup declares a charset other than UTF-8, in which case
 * the page passes through byte for byte, like one whose header says so. A page whose header
 * names a charset is returned as it is (`skipReason` has judged it).
 * @example const { response, skip } = await checkMarkupCharset(res)
 */
export async function checkMarkupCharset(
  response: Response
): Promise<{ response: Response; skip?: string }> {
  if (parseContentType(response.headers.get('content-type')).charset !== undefined) {
    return { response }
  }
  const sniffed = await sniffCharset(response)
  return isUtf8Charset(sniffed.charset)
    ? { response: sniffed.response }
    : { response: sniffed.response, skip: `charset ${sniffed.charset} (declared in the markup)` }
}
