// Two projects in one `npm test`: "workers" runs inside workerd (the Workers runtime) through
// @cloudflare/vitest-plugin; "node" runs what must run outside it (scripts, end-to-end tests that
// start `wrangler dev` and a browser).
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'workers',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/workers/**/*.test.ts'],
        },
        plugins: [
          cloudflareTest({
            // The page worker's config. Its entry for the tests also exports the console worker and
            // the experiments' store (test/workers/main.ts), which deployed live in wrangler.console.toml.
            main: './test/workers/main.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              // The console worker behind the page worker's binding: the same service binding, to
              // the test worker's own entrypoint (a binding to the config's own name is "self").
              serviceBindings: { TAILOR_CONSOLE: { name: 'tailor', entrypoint: 'TailorConsole' } },
              // The store's class is exported by the test worker here (the console's, deployed).
              durableObjects: {
                TAILOR_EXPERIMENTS: { className: 'ExperimentStore', useSQLite: true },
              },
              // The optional hot-config namespace, so KV tests use a real (local) KV binding.
              kvNamespaces: ['TAILOR_CONFIG'],
              // The optional Analytics Engine dataset, as miniflare's local simulator (no account).
              analyticsEngineDatasets: { TAILOR_ANALYTICS: { dataset: 'tailor_experiments' } },
              bindings: {
                // Two test keys: "k2" signs, "k1" is still accepted (rotation).
                TAILOR_SECRET:
                  'k2:test-secret-two-0123456789abcdef,k1:test-secret-one-0123456789abcdef',
              },
              // An origin call that a test did not mock fails loudly instead of reaching the network.
              outboundService(request: Request) {
                return new Response(`unmocked outbound fetch: ${request.method} ${request.url}`, {
                  status: 599,
                })
              },
            },
          }),
        ],
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
