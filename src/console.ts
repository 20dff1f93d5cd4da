// The console worker (wrangler.console.toml): the preference centre, the visitor API, the report
// and admin, the experiments' pings and goals, and the experiments' store. The page worker
// (src/worker.ts) hands it every `/_tailor/*` request but health; it is the whole app, so a
// request for a page that reaches it directly is still served correctly.
import config from '../tailor.config.json'
import { createApp } from './app'

export default createApp({ config })

// The experiments' counts (binding TAILOR_EXPERIMENTS in both workers' configs).
export { ExperimentStore } from './measure'
