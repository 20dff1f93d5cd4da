// The visitor folder's one door: keys, signed tokens and the visitor cookie.
export type { Keyring, KeyringResult } from './keys'
export { loadKeyring } from './keys'
export type { TokenFailure, TokenVerification } from './token'
export { MAX_TOKEN_LENGTH, signToken, verifyToken } from './token'
export type { VisitorRead, VisitorState } from './cookie'
export {
  clearVisitor,
  MAX_COOKIE_AGE_DAYS,
  readVisitor,
  stripCookie,
  VISITOR_COOKIE_NAME,
  VISITOR_PURPOSE,
  writeVisitor,
} from './cookie'
