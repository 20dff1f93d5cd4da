// GET /_tailor/health: the live config's revision and whether it is valid, keys, counting.
import type { Context } from 'hono'
import { configForHost, demoMismatch, formatIssues } from '../config'
import type { TailorEnv } from '../env'
import { batcher } from '../measure'
import type { Runtime } from '../personalise'

/** The part of a health answer another worker reads: validity, revision, counting, warnings. */
export type HealthBody = {
  ok: boolean
  config: { revision: string; source: string }
  experiments?: Record<string, unknown>
  warnings?: string[]
}

/** The caller's own part of a health answer: warnings, and fields to add. */
export type HealthExtra = { warnings?: readonly string[]; fields?: Record<string, unknown> }

/**
 * Health: 200 with the config version, 503 when the config is invalid. `extra` is the caller's
 * own, asked only for a valid config, with its revision (the page worker adds its console's).
 * @example app.get('/health', (c) => health(c, runtime))
 */
export async function health(
  c: Context<TailorEnv>,
  runtime: Runtime,
  extra?: (revision: string) => HealthExtra | Promise<HealthExtra>
): Promise<Response> {
  const live = await runtime.live(c.env, runtime.now())
  const config = {
    version: 1,
    revision: live.revision,
    source: live.source,
    ...(live.checkedAt === undefined ? {} : { checkedAt: new Date(live.checkedAt).toISOString() }),
  }
  if (!live.compiled) {
    return c.json({ ok: false, config, errors: formatIssues(live.issues) }, 503)
  }
  // Personalisation from context works without keys, so a missing secret is a warning here.
  const keys = await runtime.keyring(c.env)
  const site = configForHost(live.compiled, new URL(c.req.url).hostname)
  const own = [
    ...(keys.ok ? [] : [`${keys.message} Cookies are off.`]),
    ...[demoMismatch(live.compiled.config.demo, site.origin ?? c.env?.ORIGIN)].filter(
      (w): w is string => w !== undefined
    ),
  ]
  const theirs = extra ? await extra(live.revision) : {}
  // The caller's first, less those that only repeat one of ours (both workers lack the secret).
  const warnings = [
    ...(theirs.warnings ?? []).filter((w) => !own.some((o) => w.endsWith(o))),
    ...own,
  ]
  // With experiments: counting in this isolate (batches applied, failed, increments lost or
  // waiting), and whether the store is bound at all.
  const tests = site.experiments.length > 0 || site.holdout !== undefined
  const experiments = tests
    ? { experiments: { bound: c.env?.TAILOR_EXPERIMENTS !== undefined, ...batcher.health() } }
    : {}
  return c.json(
    warnings.length
      ? { ok: true, config, ...experiments, ...theirs.fields, warnings }
      : { ok: true, config, ...experiments, ...theirs.fields }
  )
}
