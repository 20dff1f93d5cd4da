// Fetching the origin and deciding what may be rewritten.
export type { OriginRequestOptions } from './origin'
export {
  buildOriginRequest,
  limitAcceptEncoding,
  originHref,
  originRequestInit,
  rebaseLocation,
} from './origin'
export { mergeVary, parseContentType, personaliseHeaders, skipReason, VARY_ON } from './html'
export {
  BODY_DESCRIPTION_HEADERS,
  CONDITIONAL_REQUEST_HEADERS,
  HOP_BY_HOP,
  isUntrustedForwarding,
  SHARED_CACHE_HEADERS,
  UNTRUSTED_FORWARDING,
} from './headers'
export { errorAnswer, RETRY_AFTER_SECONDS } from './errors'
export { hasConditions, isNotModified, notModified } from './conditional'
export { checkMarkupCharset, prescanCharset, PRESCAN_BYTES, sniffCharset } from './charset'
