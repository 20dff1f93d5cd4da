// Base64url without padding (RFC 4648 §5), strict on decode so one token has one spelling.

const ALPHABET = /^[A-Za-z0-9_-]*$/

/**
 * Encode bytes as base64url without padding.
 * @example encodeBase64url(new TextEncoder().encode('hi?')) // 'aGk_'
 */
export function encodeBase64url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) {
    binary += String.fromCharCode(bytes[i] as number)
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Decode unpadded base64url. Returns undefined for anything else: padding, the `+/` alphabet,
 * an impossible length, or non-zero trailing bits. The last rule matters for signatures: without
 * it `…A` and `…B` could decode to the same bytes, and a changed token would still verify.
 * @example decodeBase64url('aGk_') // Uint8Array [104, 105, 63]
 */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) {
    return undefined
  }
  let binary: string
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    return undefined
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i)
  }
  // Canonical form only: the bits the last character carries beyond the data must be zero
  // (2 or 3 trailing characters hold 4 or 2 spare bits). Same rule as re-encoding and comparing,
  // without the cost of re-encoding on every request.
  const rest = text.length % 4
  if (rest !== 0) {
    const last = SIXBIT.indexOf(text[text.length - 1] as string)
    const spare = rest === 2 ? 0b1111 : 0b11
    if ((last & spare) !== 0) {
      return undefined
    }
  }
  return bytes
}

const SIXBIT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
