// Every test runs inside workerd (the Workers runtime) through @cloudflare/vitest-plugin.
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          // Two test keys: "k2" signs, "k1" is still accepted (rotation).
          TAILOR_SECRET: 'k2:test-secret-two-0123456789abcdef,k1:test-secret-one-0123456789abcdef',
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
})
