// The visitor folder's one door: keys, signed tokens and the visitor cookie.
export type { Keyring, KeyringResult } from './keys'
export { loadKeyring } from './keys'
export { signToken, verifyToken } from './token'
export type { VisitorRead, VisitorState } from './cookie'
export {
  clearVisitor,
  cookieValue,
  readVisitor,
  stripCookie,
  VISITOR_COOKIE_NAME,
  writeVisitor,
} from './cookie'
export { addSignals, currentScores } from './signals'
