import { describe, expect, it } from 'vitest'
import { chunkedResponse, splits } from '../../test/helpers/html'
import type { SlotEdit } from './edits'
import { buildRewriter } from './rewriter'

async function rewrite(edits: SlotEdit[], html: string): Promise<string[]> {
  const outputs: string[] = []
  for (const pieces of splits(html)) {
    outputs.push(await buildRewriter(edits).transform(chunkedResponse(pieces)).text())
  }
  return outputs
}

/** Every way of cutting the page gives the same output; return it. */
async function rewriteOnce(edits: SlotEdit[], html: string): Promise<string> {
  const outputs = await rewrite(edits, html)
  for (const out of outputs) {
    expect(out).toBe(outputs[0])
  }
  return outputs[0] ?? ''
}

const PAGE = `<!doctype html><html><head><title>Trailhead</title></head><body>
<p data-tailor="greeting" class="lead big">Welcome to <b>Trailhead</b> &amp; friends</p>
<section data-tailor="hero">
  <h2>General story</h2>
  some default text
  <!-- a comment -->
  <template data-tailor-variant="cycling"><h2>Cycling story</h2> pedal on</template>
  <template data-tailor-variant="running"><h2>Running story</h2></template>
</section>
<div data-tailor="banner" hidden>Get the app</div>
<footer>bye</footer></body></html>`

describe('buildRewriter', () => {
  it.each<[string, SlotEdit[], string, string]>([
    [
      'html replaces inner HTML',
      [{ selector: '[data-tailor="greeting"]', kind: 'html', html: 'Bonsoir, <em>Ana</em>' }],
      '<p data-tailor="greeting" class="lead big">Bonsoir, <em>Ana</em></p>',
      'Welcome to',
    ],
    [
      'text replaces inner content, escaped',
      [
        {
          selector: '[data-tailor="greeting"]',
          kind: 'text',
          text: '<script>alert(1)</script> & co',
        },
      ],
      '<p data-tailor="greeting" class="lead big">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>',
      '<script>',
    ],
    [
      'remove drops the element',
      [{ selector: '[data-tailor="banner"]', kind: 'remove' }],
      '</section>\n\n<footer>',
      'Get the app',
    ],
    [
      'hide sets the hidden attribute',
      [{ selector: '[data-tailor="greeting"]', kind: 'hide' }],
      '<p data-tailor="greeting" class="lead big" hidden="">',
      '<p data-tailor="greeting" class="lead big">',
    ],
    [
      'prepend inserts trusted HTML as the first child',
      [{ selector: 'body', kind: 'prepend', html: '<div class="banner">Preview &amp; co</div>' }],
      '<body><div class="banner">Preview &amp; co</div>\n<p data-tailor="greeting"',
      '<body>\n<p',
    ],
    [
      'comment goes right before the element',
      [{ selector: '[data-tailor="banner"]', kind: 'comment', text: 'tailor: banner = default' }],
      '</section>\n<!-- tailor: banner = default --><div data-tailor="banner" hidden>',
      '</section>\n<div',
    ],
  ])('%s', async (_name, edits, expected, absent) => {
    const out = await rewriteOnce(edits, PAGE)
    expect(out).toContain(expected)
    expect(out).not.toContain(absent)
    expect(out).toContain('<footer>bye</footer>')
  })

  it('attributes: set, remove, add and remove classes', async () => {
    const out = await rewriteOnce(
      [
        {
          selector: '[data-tailor="greeting"]',
          kind: 'attributes',
          set: [['title', 'Say "hi" <now>']],
          remove: ['data-tailor'],
          addClass: ['fr', 'lead'],
          removeClass: ['big'],
        },
        {
          selector: '[data-tailor="banner"]',
          kind: 'attributes',
          set: [],
          remove: ['hidden'],
          addClass: [],
          removeClass: [],
        },
      ],
      PAGE
    )
    expect(out).toContain('<p class="lead fr" title="Say &quot;hi&quot; <now>">')
    expect(out).toContain('<div data-tailor="banner">Get the app</div>')
  })

  it('template picks one inline variant and drops the default content', async () => {
    const out = await rewriteOnce(
      [{ selector: '[data-tailor="hero"]', kind: 'template', id: 'cycling' }],
      PAGE
    )
    const hero = out.slice(out.indexOf('<section'), out.indexOf('</section>') + 10)
    expect(hero.replace(/\s+/g, ' ')).toBe(
      '<section data-tailor="hero"><h2>Cycling story</h2> pedal on</section>'
    )
  })

  it('template leaves the page whole when it picks the second variant', async () => {
    const out = await rewriteOnce(
      [{ selector: '[data-tailor="hero"]', kind: 'template', id: 'running' }],
      PAGE
    )
    expect(out).toContain('<h2>Running story</h2>')
    expect(out).not.toContain('Cycling story')
    expect(out).not.toContain('General story')
    expect(out).not.toContain('default text')
    expect(out).toContain(
      '<p data-tailor="greeting" class="lead big">Welcome to <b>Trailhead</b> &amp; friends</p>'
    )
  })

  it('applies to every element the selector matches', async () => {
    const html = '<ul><li class="x">a</li><li class="x">b</li></ul>'
    expect(await rewriteOnce([{ selector: 'li.x', kind: 'text', text: 'z' }], html)).toBe(
      '<ul><li class="x">z</li><li class="x">z</li></ul>'
    )
  })

  it('without edits the page comes out byte for byte', async () => {
    expect(await rewriteOnce([], PAGE)).toBe(PAGE)
  })
})
