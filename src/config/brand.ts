// Brand colours and logo for the preference centre: parsed strictly, contrast measured (WCAG 2.2).

/** An sRGB colour as three 0–255 channels. */
export type Rgb = readonly [number, number, number]

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/
const RGB = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/

/**
 * A colour written as `#rgb`, `#rrggbb` or `rgb(r, g, b)`, or undefined. Nothing else is
 * accepted (no names, no `url()`, no `;`), so a config value can never break out of the
 * stylesheet it is written into.
 * @example parseColour('#2f5d50') // [47, 93, 80]
 * @example parseColour('red; background: url(x)') // undefined
 */
export function parseColour(text: string): Rgb | undefined {
  if (typeof text !== 'string') {
    return undefined
  }
  if (HEX.test(text)) {
    const hex =
      text.length === 4
        ? text
            .slice(1)
            .split('')
            .map((c) => c + c)
            .join('')
        : text.slice(1)
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb
  }
  const m = RGB.exec(text)
  if (m) {
    const channels = [m[1], m[2], m[3]].map(Number)
    if (channels.every((n) => n <= 255)) {
      return channels as unknown as Rgb
    }
  }
  return undefined
}

/** WCAG 2.2 relative luminance of an sRGB colour (0 black … 1 white). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/**
 * WCAG 2.2 contrast ratio between two colours, 1 to 21.
 * @example contrastRatio([0, 0, 0], [255, 255, 255]) // 21
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** Contrast ratio of two colour strings, or 0 when either does not parse. */
export function contrastOf(a: string, b: string): number {
  const x = parseColour(a)
  const y = parseColour(b)
  return x && y ? contrastRatio(x, y) : 0
}

/**
 * The text colour (black or white) that reads best on a background: for any background one of
 * them reaches at least 4.58:1 (WCAG 2.2 §1.4.3 asks 4.5:1 for normal text). Near-black would
 * not: on mid-grey (#777) neither white nor #111 reaches 4.5:1.
 * @example textOn('#2f5d50') // '#ffffff'
 */
export function textOn(background: string): string {
  const bg = parseColour(background)
  if (!bg) {
    return '#000000'
  }
  return contrastRatio(bg, [255, 255, 255]) >= contrastRatio(bg, [0, 0, 0]) ? '#ffffff' : '#000000'
}

/**
 * Whether a logo reference is a path on this site (`/img/logo.svg`: one leading "/", not "//" or
 * "/\", which browsers read as another host) or an `https://` URL. No other scheme, no spaces.
 * @example isLogoUrl('/img/logo.svg') // true
 * @example isLogoUrl('//evil.example/x.png') // false
 */
export function isLogoUrl(value: string): boolean {
  if (typeof value !== 'string' || value.length > 500 || /[\s\\"'<>]/.test(value)) {
    return false
  }
  if (value.startsWith('/')) {
    return !value.startsWith('//')
  }
  if (!value.startsWith('https://')) {
    return false
  }
  try {
    return new URL(value).protocol === 'https:'
  } catch {
    return false
  }
}
