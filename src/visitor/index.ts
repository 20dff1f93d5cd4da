// The visitor folder's one door: keys, signed tokens and the visitor cookie.
export type { Keyring, KeyringResult } from './keys'
export { loadKeyring } from './keys'
export type { TokenFailure, TokenVerification } from './token'
export { MAX_TOKEN_LENGTH, signToken, verifyToken } from './token'
export type {
  StoredAssignment,
  StoredSignal,
  TestsConsent,
  VisitorConsent,
  VisitorRead,
  VisitorState,
} from './cookie'
export {
  clearVisitor,
  cookieValue,
  MAX_COOKIE_AGE_DAYS,
  MAX_STORED_EXPERIMENTS,
  MAX_STORED_SIGNALS,
  readVisitor,
  stripCookie,
  VISITOR_COOKIE_NAME,
  VISITOR_PURPOSE,
  writeVisitor,
} from './cookie'
export type { SignalPolicy } from './signals'
export { addSignals, currentScores, dayOf, decayScore, SIGNAL_FLOOR } from './signals'
