// Fetching the origin and deciding what may be rewritten.
export { buildOriginRequest, limitAcceptEncoding, originUrl, rebaseLocation } from './origin'
export { mergeVary, parseContentType, personaliseHeaders, skipReason, VARY_ON } from './html'
