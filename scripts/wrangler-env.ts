// The environment that keeps wrangler off the network on a machine without one (see TOOLCHAIN.md).

/** No cf-object fetch, no metrics, no error reports, no banner: spread into a wrangler child's env. */
export const OFFLINE_WRANGLER_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
} as const
