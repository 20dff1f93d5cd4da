// A `template` variant through the whole app: the origin's block stays as it was without its template.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/app'
import { chunkedResponse, splits } from '../helpers/html'
import { ENV, mockOrigin, ORIGIN, TEST_CONFIG } from '../helpers/origin'
import { visitorCookie } from '../helpers/visitor'

const HERE = 'https://shop.example'
const app = createApp({ config: TEST_CONFIG })

afterEach(() => {
  vi.restoreAllMocks()
})

async function page(html: string, pieces: string[], cookie: string): Promise<string> {
  mockOrigin({ [`${ORIGIN}/`]: () => chunkedResponse(pieces) })
  const res = await app.request(`${HERE}/`, { headers: { cookie } }, ENV)
  expect(res.status).toBe(200)
  return res.text()
}

describe('a cyclist on a page whose hero has no cycling template', () => {
  const html = '<!doctype html><body><h1 id="hero">Hello</h1><p>after</p></body>'

  it('gets the block byte for byte, whole and at every awkward split', async () => {
    const cookie = await visitorCookie({ interests: ['cycling'] })
    for (const pieces of splits(html)) {
      expect(await page(html, pieces, cookie)).toBe(html)
    }
  })

  it('with the template there, gets the template', async () => {
    const cookie = await visitorCookie({ interests: ['cycling'] })
    const withTemplate =
      '<!doctype html><body><h1 id="hero">Hello<template data-tailor-variant="cycling">Ride on</template></h1><p>after</p></body>'
    for (const pieces of splits(withTemplate)) {
      expect(await page(withTemplate, pieces, cookie)).toBe(
        '<!doctype html><body><h1 id="hero">Ride on</h1><p>after</p></body>'
      )
    }
  })
})
