// The page worker (wrangler.toml): Tailor in front of ORIGIN (or the embedded demo site), with the
// bundled config. `/_tailor/*` but health goes to the console worker (src/console.ts).
import config from '../tailor.config.json'
import { createPageApp } from './app'

export default createPageApp({ config })
