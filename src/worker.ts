// The worker entry: Tailor in front of ORIGIN (or the embedded demo site), with the bundled config.
import config from '../tailor.config.json'
import { createApp } from './app'

export default createApp({ config })

// The experiments' counts (binding TAILOR_EXPERIMENTS, wrangler.toml): a host app exports it too.
export { ExperimentStore } from './measure'
