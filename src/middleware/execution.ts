// The platform's ExecutionContext, when there is one (Hono's app.request() in tests has none).
import type { Context } from 'hono'
import type { WaitUntil } from '../env'

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
