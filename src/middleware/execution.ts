// The platform's ExecutionContext, when there is one (Hono's app.request() in tests has none).
import type { Context } from 'hono'
import type { TailorBindings, TailorEnv, WaitUntil } from '../env'
import type { CountSink } from '../measure'

/** `ctx.waitUntil`, or undefined where the platform gave no execution context. */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  return waitUntilIn(executionContextOf(c))
}

/** `ctx.waitUntil` of a plain execution context, or undefined without one. */
export function waitUntilIn(ctx: ExecutionContext | undefined): WaitUntil | undefined {
  return ctx && ((promise) => ctx.waitUntil(promise))
}

/** The execution context, or undefined (Hono's getter throws when there is none). */
export function executionContextOf(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext
  } catch {
    return undefined
  }
}

/** Where this request's counts go, or undefined without an execution context to flush after it. */
export function countSinkOf(c: Context<TailorEnv>): CountSink | undefined {
  return countSinkIn(c.env, executionContextOf(c))
}

/** `countSinkOf` for a plain `fetch(request, env, ctx)`. */
export function countSinkIn(
  env: TailorBindings | undefined,
  ctx: ExecutionContext | undefined
): CountSink | undefined {
  if (!ctx) {
    return undefined
  }
  return {
    store: env?.TAILOR_EXPERIMENTS,
    analytics: env?.TAILOR_ANALYTICS,
    waitUntil: (p) => ctx.waitUntil(p),
  }
}
