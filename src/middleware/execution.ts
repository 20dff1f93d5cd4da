// The platform's ExecutionContext, when there is one (Hono's app.request() in tests has none).
import type { Context } from 'hono'
import type { TailorEnv, WaitUntil } from '../env'
import type { CountSink } from '../measure'

/** `ctx.waitUntil`, or undefined where the platform gave no execution context. */
export function waitUntilOf(c: Context): WaitUntil | undefined {
  const ctx = executionContextOf(c)
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
  const ctx = executionContextOf(c)
  if (!ctx) {
    return undefined
  }
  return {
    store: c.env?.TAILOR_EXPERIMENTS,
    analytics: c.env?.TAILOR_ANALYTICS,
    waitUntil: (p) => ctx.waitUntil(p),
  }
}
