// Counting: the per-experiment store (a Durable Object) and the per-isolate batcher in front of it.
export type { Applied, Batch, CountRow, PingRow, Sums, TotalRow } from './store'
export { ExperimentStore } from './store'
export type { CountHealth, CountSink } from './batcher'
export { batcher, createBatcher, FLUSH_INTERVAL_MS } from './batcher'
export type { BanditSpec, LiveWeights, WeightsRow } from './bandit'
export { banditBounds, banditSpecs } from './bandit'
