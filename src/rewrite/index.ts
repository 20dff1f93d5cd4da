// Streaming rewrites of marked blocks.
export type { SlotEdit } from './edits'
export { renderEdits, sameForEveryone } from './edits'
export type { RewriteOutcome, Rewriter, RewriterOptions, SeenRecord } from './rewriter'
export { buildRewriter, pingLinksIn } from './rewriter'
