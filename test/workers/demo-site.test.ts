// The demo site as a visitor meets it: prices and shipping in euros, several interests, articles, a favicon.
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import demoConfig from '../../tailor.config.json'
import { visitorCookie } from '../helpers/visitor'

const fetchWorker = (path: string, init: RequestInit & { cf?: Record<string, unknown> } = {}) =>
  exports.default.fetch(new Request(`https://demo.example${path}`, init as RequestInit))

type Variant = { id: string; action: { type: string; html?: string; text?: string } }
const slots = demoConfig.slots as Record<string, { variants: Variant[] }>

/** The element with `data-tailor="slot"`, from its opening tag to the end of its first line. */
function openingTag(html: string, slot: string): string {
  const at = html.indexOf(`data-tailor="${slot}"`)
  expect(at, slot).toBeGreaterThan(-1)
  return html.slice(html.lastIndexOf('<', at), html.indexOf('>', at) + 1)
}

const links = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '')

describe('the demo site', () => {
  it('gives every shipping notice in euros, as the prices are', () => {
    const texts = slots.shipping?.variants.map((v) => v.action.text ?? '') ?? []
    expect(texts.length).toBeGreaterThan(5)
    for (const text of texts) {
      expect(text).not.toMatch(/\$|£|CHF/)
    }
    const us = slots.shipping?.variants.find((v) => v.id === 'us')
    expect(us?.action.text).toBe('Free US shipping on orders over €70 · Duties included')
  })

  it('shows the picks of every interest a visitor chose, and hides the popular ones', async () => {
    const cookie = await visitorCookie({ interests: ['cycling', 'hiking'], name: 'Ana' })
    const html = await (await fetchWorker('/', { headers: { cookie } })).text()
    expect(html).toContain('Recommended for Ana')
    expect(openingTag(html, 'picks-cycling')).not.toContain('hidden')
    expect(openingTag(html, 'picks-hiking')).not.toContain('hidden')
    expect(openingTag(html, 'picks-running')).toContain('hidden')
    expect(openingTag(html, 'picks-popular')).toContain('hidden')
  })

  it('shows the popular picks to a visitor who chose nothing', async () => {
    const html = await (await fetchWorker('/')).text()
    expect(html).toContain('<h2>Popular this week</h2>')
    expect(openingTag(html, 'picks-popular')).not.toContain('hidden')
    expect(openingTag(html, 'picks-cycling')).toContain('hidden')
  })

  it('never recommends the story right above, nor the article whose reading led there', async () => {
    const page = await (await fetchWorker('/')).text()
    // The hero a visitor with this interest sees: the origin's <template> for that variant.
    const hero = (id: string) =>
      links(
        page.match(
          new RegExp(`<template data-tailor-variant="${id}">([\\s\\S]*?)</template>`)
        )?.[1] ?? ''
      )
    for (const variant of slots.reading?.variants ?? []) {
      const recommended = links(variant.action.html ?? '')
      expect(hero(variant.id).length, variant.id).toBeGreaterThan(0)
      expect(recommended.length).toBeGreaterThanOrEqual(2)
      for (const link of recommended) {
        expect(hero(variant.id)).not.toContain(link)
        expect(link).not.toBe('/hiking/small-adventures/') // the hero of a visitor who chose nothing
        expect(link).not.toBe('/cycling/gravel-basics/') // the article the demo tells you to read
        expect(link).not.toContain('#')
      }
    }
  })

  it('links "Read the story" to articles that exist, not to section anchors', async () => {
    const html = await (await fetchWorker('/')).text()
    const stories = [...html.matchAll(/<a class="button" href="([^"]*)">Read the story<\/a>/g)].map(
      (m) => m[1] ?? ''
    )
    expect(stories).toHaveLength(4)
    for (const story of stories) {
      expect(story).toMatch(/^\/(cycling|running|hiking)\/[a-z-]+\/$/)
      const res = await fetchWorker(story)
      expect(res.status, story).toBe(200)
      expect(await res.text()).toContain('<article class="prose article">')
    }
  })

  it('serves /favicon.ico', async () => {
    const res = await fetchWorker('/favicon.ico')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]) // an ICO header
  })

  it('names the site, not the vendor, when a visitor erases everything', async () => {
    const html = await (await fetchWorker('/_tailor/?done=erased')).text()
    expect(html).toContain(
      'Everything is erased. Your browser holds no personalisation cookie from Trailhead now.'
    )
    expect(html).not.toContain('Tailor cookie')
  })
})
