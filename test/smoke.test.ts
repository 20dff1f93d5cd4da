import { exports } from 'cloudflare:workers'
import { expect, it } from 'vitest'
it('answers', async () => {
  const res = await exports.default.fetch('http://example.com/')
  expect(await res.text()).toBe('hi')
})
