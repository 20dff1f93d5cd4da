// Site-owner tooling: the dev-mode simulator, preview links, explanations.
export type { Simulation } from './simulate'
export { applySimulation, readSimulation } from './simulate'
export {
  EXPLAIN_HEADER,
  explainComment,
  explainHeader,
  explainSummary,
  wantsComments,
} from './explain'
export type { PreviewData } from './preview'
export {
  applyPreview,
  parsePreviewRequest,
  PREVIEW_COOKIE,
  PREVIEW_PURPOSE,
  previewBanner,
  previewFromToken,
} from './preview'
