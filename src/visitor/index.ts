// The visitor folder's one door: keys, signed tokens and the visitor cookie.
export type { Keyring, KeyringResult } from './keys'
export { loadKeyring } from './keys'
export { signToken, verifyToken } from './token'
export type { VisitorRead } from './cookie'
export { clearVisitor, readVisitor, VISITOR_COOKIE_NAME, writeVisitor } from './cookie'
export type { StoredAssignment, TestsConsent, VisitorState } from './state'
export { cookieValue, stripCookie } from './cookie-header'
export { addSignals, currentScores } from './signals'
