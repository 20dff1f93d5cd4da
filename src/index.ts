// Tailor as a library: `app.use(tailor({ config }))` in your own Hono app (docs/library.md).
import type { Hono, MiddlewareHandler } from 'hono'
import { createApp as createWholeApp } from './app'
import type { ConfigInput } from './config'
import type { TailorEnv } from './env'
import { tailor as tailorMiddleware } from './middleware'
import type { TailorOptions as RuntimeOptions } from './personalise'

/** Options of `tailor()` and `createApp()`: the config, typed as written (before defaults). */
export type TailorOptions = Omit<RuntimeOptions, 'config'> & {
  /**
   * The config document, validated and compiled once; invalid, it is logged and pages pass
   * through. A JSON import widens `"type": "text"` to `string`: write `config as ConfigInput`.
   */
  config: ConfigInput
}

/**
 * Personalise the HTML responses of the handlers after it, and serve `/_tailor/*`.
 * @example app.use(tailor({ config }))
 */
export const tailor: (options: TailorOptions) => MiddlewareHandler<TailorEnv> = tailorMiddleware

/**
 * The whole worker: `tailor()` in front of the origin proxy (ORIGIN, or the ASSETS binding).
 * @example export default createApp({ config })
 */
export const createApp: (options: TailorOptions) => Hono<TailorEnv> = createWholeApp as (
  options: TailorOptions
) => Hono<TailorEnv>
export { origin, TAILOR_PREFIX } from './middleware'
export type { TailorState } from './personalise'
export type { TailorBindings, TailorEnv, TailorVariables } from './env'
export type { CompiledConfig, Config, ConfigInput, ConfigIssue } from './config'
export { compileConfig, ConfigError, ConfigSchema, formatIssues } from './config'
export type { Facts } from './context'
export type { Decision } from './decide'
