// The environment that keeps wrangler off the network on a machine without one (see TOOLCHAIN.md).

/** No cf-object fetch, no metrics, no error reports, no banner: spread into a wrangler child's env. */
export const OFFLINE_WRANGLER_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
} as const

/** The two workers' configs: the page worker (primary: its port is the site) and the console. */
export const WORKER_CONFIGS = ['wrangler.toml', 'wrangler.console.toml'] as const

/** `-c` for each worker's config, so one `wrangler dev` runs both, bound to each other. */
export const BOTH_WORKERS: string[] = WORKER_CONFIGS.flatMap((file) => ['-c', file])
