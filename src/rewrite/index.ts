// Streaming rewrites of marked blocks.
export type { SlotEdit } from './edits'
export { renderEdits } from './edits'
export { buildRewriter } from './rewriter'
