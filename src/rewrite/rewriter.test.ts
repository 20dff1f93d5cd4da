import { describe, expect, it, vi } from 'vitest'
import { chunkedResponse, splits } from '../../test/helpers/html'
import type { SlotEdit } from './edits'
import { HOLD_LIMIT } from './markers'
import type { RewriterOptions } from './rewriter'
import { buildRewriter, pingLinksIn } from './rewriter'

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

  it("attributes: ping adds to the site's own list, escaped, never twice", async () => {
    const ping = (selector: string, url: string): SlotEdit => ({
      selector,
      kind: 'attributes',
      set: [['ping', url]],
      remove: [],
      addClass: [],
      removeClass: [],
    })
    const links = `<div id="b">
<a id="own" href="/a" ping="https://stats.example/p?a=1&amp;b=2  /own">A</a>
<a id="quoted" href="/b" ping='/q"r'>B</a>
<a id="none" href="/c">C</a>
<a id="blank" href="/d" ping=" ">D</a>
</div>`
    const ours = '/_tailor/ping/1.k2.x&y"z'
    const out = await rewriteOnce(
      // The same URL twice (two edits on one link) and a second experiment's URL.
      [ping('#b a', ours), ping('#b a[href]', ours), ping('#own', '/_tailor/ping/two')],
      links
    )
    const mine = '/_tailor/ping/1.k2.x&amp;y&quot;z'
    expect(out).toContain(
      `<a id="own" href="/a" ping="https://stats.example/p?a=1&amp;b=2  /own ${mine} /_tailor/ping/two">`
    )
    expect(out).toContain(`<a id="quoted" href="/b" ping="/q&quot;r ${mine}">`)
    expect(out).toContain(`<a id="none" href="/c" ping="${mine}">`)
    expect(out).toContain(`<a id="blank" href="/d" ping="${mine}">`)
  })

  it('pingLinksIn: the links of inserted HTML get the pings, beside their own, nothing else', async () => {
    const html =
      '<p>Lake <b>loop</b></p><a href="/a">A</a><a name="x">no href</a><a href=/b ping="/own">B</a>'
    expect(await pingLinksIn(html, ['/_tailor/ping/1', '/_tailor/ping/2&x'])).toBe(
      '<p>Lake <b>loop</b></p><a href="/a" ping="/_tailor/ping/1 /_tailor/ping/2&amp;x">A</a><a name="x">no href</a><a href=/b ping="/own /_tailor/ping/1 /_tailor/ping/2&amp;x">B</a>'
    )
    expect(await pingLinksIn(html, [])).toBe(html)
  })

  it('attributes: a value with & or " is written as attribute text', async () => {
    const out = await rewriteOnce(
      [
        {
          selector: '[data-tailor="banner"]',
          kind: 'attributes',
          set: [['data-q', '?a=1&copy=2 "x"']],
          remove: [],
          addClass: [],
          removeClass: [],
        },
      ],
      PAGE
    )
    expect(out).toContain('data-q="?a=1&amp;copy=2 &quot;x&quot;"')
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

/** Cut a page into pieces of `size` characters. */
function pieces(html: string, size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < html.length; i += size) {
    out.push(html.slice(i, i + size))
  }
  return out
}

describe('template slots keep the origin block when the template is absent', () => {
  const PLAIN = '<!doctype html><body><h1 data-tailor="hero">Hello</h1><p>after</p></body>'
  const hero: SlotEdit = {
    selector: '[data-tailor="hero"]',
    slot: 'hero',
    kind: 'template',
    id: 'cycling',
  }

  it('absent: byte for byte, whole and at every split; recorded as seen and kept', async () => {
    for (const cut of splits(PLAIN)) {
      const rewriter = buildRewriter([hero])
      expect(await rewriter.transform(chunkedResponse(cut)).text()).toBe(PLAIN)
      expect(await rewriter.done).toBe('rewritten')
      expect([...rewriter.seen]).toEqual(['hero'])
      expect([...rewriter.kept]).toEqual(['hero'])
    }
  })

  it('present: the template content replaces the block, at every split', async () => {
    const html =
      '<!doctype html><body><h1 data-tailor="hero">Hello <i>you</i><!-- c -->' +
      '<template data-tailor-variant="running">Run</template>' +
      '<template data-tailor-variant="cycling">Ride <b>on</b></template> tail</h1><p>after</p></body>'
    for (const cut of splits(html)) {
      const rewriter = buildRewriter([hero])
      expect(await rewriter.transform(chunkedResponse(cut)).text()).toBe(
        '<!doctype html><body><h1 data-tailor="hero">Ride <b>on</b></h1><p>after</p></body>'
      )
      expect([...rewriter.kept]).toEqual([])
    }
  })

  it('several matches: each is decided on its own', async () => {
    const html =
      '<ul><li class="s">a</li><li class="s">b<template data-tailor-variant="x">X</template></li>' +
      '<li class="s">c &amp; <em>d</em></li></ul>'
    const out = await rewriteOnce(
      [{ selector: 'li.s', slot: 's', kind: 'template', id: 'x' }],
      html
    )
    expect(out).toBe(
      '<ul><li class="s">a</li><li class="s">X</li><li class="s">c &amp; <em>d</em></li></ul>'
    )
  })

  it('a slot whose end tag the page leaves out keeps its bytes', async () => {
    const html = '<div><p data-tailor="hero">Hello<span>x</span></div><p>next'
    expect(await rewriteOnce([hero], html)).toBe(html)
  })

  it(`past ${HOLD_LIMIT} bytes of waiting, the origin's bytes go out and the template is not used`, async () => {
    const html = `<h1 data-tailor="hero">${'a'.repeat(HOLD_LIMIT + 10)}<template data-tailor-variant="cycling">Ride</template></h1>`
    const rewriter = buildRewriter([hero])
    expect(await rewriter.transform(chunkedResponse(pieces(html, 1000))).text()).toBe(html)
    expect([...rewriter.kept]).toEqual(['hero'])
  })

  it('streams: bytes before the slot go out before the slot has ended', async () => {
    const enc = new TextEncoder()
    let feed: ReadableStreamDefaultController<Uint8Array> | undefined
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        feed = c
      },
    })
    const res = buildRewriter([hero]).transform(
      new Response(body, { headers: { 'content-type': 'text/html' } })
    )
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const dec = new TextDecoder()
    feed?.enqueue(enc.encode(`<p>${'before '.repeat(200)}</p><h1 data-tailor="hero">Hel`))
    let got = ''
    while (!got.includes('before before')) {
      const next = await reader.read()
      got += dec.decode(next.value)
    }
    expect(got).not.toContain('Hel')
    feed?.enqueue(enc.encode('lo</h1><p>after</p>'))
    feed?.close()
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      got += dec.decode(next.value)
    }
    expect(got).toBe(`<p>${'before '.repeat(200)}</p><h1 data-tailor="hero">Hello</h1><p>after</p>`)
  })
})

// Legal but odd markup that lol-html refuses ("ParsingAmbiguityError"): a text-content start tag
// in <select> (or a <template> in it) or after <frameset>. The first two are html5lib inputs.
const AMBIGUOUS = [
  '<!doctype html><select><plaintext></plaintext>X',
  '<frameset><plaintext>',
  '<!doctype html><select><xmp><script>alert(1)</script></select>',
  '<!doctype html><body><select><style>p{}</style></select><p>after</p>',
  '<!doctype html><select><template><script>1</script></template></select>',
  '<!doctype html><frameset></frameset><noscript>x</noscript>',
  `<!doctype html><p>${'long prefix '.repeat(100)}</p><select><iframe></iframe></select><p>end</p>`,
]

describe('parser errors never become a clean short page', () => {
  it.each(AMBIGUOUS)('the runtime refuses it (why this guard exists): %s', async (html) => {
    const bare = new HTMLRewriter().on('p', { element() {} })
    await expect(bare.transform(chunkedResponse([html])).text()).rejects.toThrow(/Parser error/)
  })

  it.each(AMBIGUOUS)(
    "nothing changed yet: the origin's bytes, whole and in 7-byte chunks: %s",
    async (html) => {
      for (const size of [html.length, 7]) {
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
        const rewriter = buildRewriter([
          { selector: '#absent', slot: 'absent', kind: 'text', text: 'never' },
          { selector: '#gone', slot: 'gone', kind: 'template', id: 'x' },
        ])
        expect(await rewriter.transform(chunkedResponse(pieces(html, size))).text()).toBe(html)
        expect(await rewriter.done).toBe('origin')
        expect(warn).toHaveBeenCalledTimes(1)
        expect(String(warn.mock.calls[0]?.[0])).toMatch(
          /^tailor\/rewrite: parser gave up, sending the origin's bytes: TypeError: Parser error/
        )
        warn.mockRestore()
      }
    }
  )

  it.each(
    AMBIGUOUS.map(
      (html) => `<!doctype html><h1 id="x">a</h1>${html.replace('<!doctype html>', '')}`
    )
  )('after a change: the body errors, whole and in 7-byte chunks: %s', async (html) => {
    for (const size of [html.length, 7]) {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const rewriter = buildRewriter([{ selector: '#x', slot: 'x', kind: 'text', text: 'b' }])
      await expect(rewriter.transform(chunkedResponse(pieces(html, size))).text()).rejects.toThrow(
        /Parser error/
      )
      expect(await rewriter.done).toBe('failed')
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        /^tailor\/rewrite: stream failed after a change/
      )
      warn.mockRestore()
    }
  })

  it('an origin that fails mid-body: the body errors, changed or not', async () => {
    for (const edits of [[], [{ selector: 'h1', kind: 'hide' }]] as SlotEdit[][]) {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const enc = new TextEncoder()
      let n = 0
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (n++ < 3) {
            c.enqueue(enc.encode(`<h1>part ${n}</h1>`))
          } else {
            c.error(new Error('origin reset'))
          }
        },
      })
      const rewriter = buildRewriter([...edits, { selector: 'p', kind: 'watch' }])
      const res = rewriter.transform(
        new Response(body, { headers: { 'content-type': 'text/html' } })
      )
      await expect(res.text()).rejects.toThrow('origin reset')
      expect(await rewriter.done).toBe('failed')
      warn.mockRestore()
    }
  })
})

describe('the seen record', () => {
  const edits: SlotEdit[] = [
    { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'hide' },
    { selector: 'li.item', slot: 'items', kind: 'text', text: 'x' },
    { selector: '#absent', slot: 'absent', kind: 'remove' },
    { selector: '[data-tailor="hero"]', slot: 'hero', kind: 'template', id: 'nope' },
    { selector: 'footer', slot: 'footer', kind: 'watch' },
    { selector: 'body', kind: 'prepend', html: '<i>banner</i>' },
  ]

  it('onSeen once per slot found, in page order; seen complete when done settles', async () => {
    for (const cut of splits(PAGE)) {
      const told: string[] = []
      const rewriter = buildRewriter(edits, { onSeen: (slot) => told.push(slot) })
      await rewriter.transform(chunkedResponse(cut)).text()
      expect(await rewriter.done).toBe('rewritten')
      expect(told).toEqual(['greeting', 'hero', 'footer'])
      expect([...rewriter.seen]).toEqual(['greeting', 'hero', 'footer'])
      expect([...rewriter.kept]).toEqual(['hero'])
    }
  })

  it('a throwing onSeen is logged and changes nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const rewriter = buildRewriter([edits[0] as SlotEdit], {
      onSeen() {
        throw new Error('counter down')
      },
    })
    const out = await rewriter.transform(chunkedResponse([PAGE])).text()
    expect(out).toContain('<p data-tailor="greeting" class="lead big" hidden="">')
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'tailor/rewrite: onSeen threw: Error: counter down',
    ])
    warn.mockRestore()
  })

  it('watch records the slot and leaves every byte', async () => {
    const rewriter = buildRewriter([{ selector: 'footer', slot: 'f', kind: 'watch' }])
    expect(await rewriter.transform(chunkedResponse([PAGE])).text()).toBe(PAGE)
    expect([...rewriter.seen]).toEqual(['f'])
  })

  it('summary: a comment before </body>, built from the record there, comment-safe', async () => {
    for (const cut of splits(PAGE)) {
      const rewriter = buildRewriter(edits, {
        summary: ({ seen, kept }) => `found ${[...seen].join(' ')} --> kept ${[...kept].join(' ')}`,
      })
      const out = await rewriter.transform(chunkedResponse(cut)).text()
      expect(out).toContain(
        '<footer>bye</footer><!-- found greeting hero footer - -  kept hero --></body></html>'
      )
    }
  })

  it('summary: at the very end when the page has no </body>; none when it returns ""', async () => {
    const html = '<p data-tailor="greeting">hi</p>'
    const one = buildRewriter(edits, { summary: ({ seen }) => [...seen].join(',') })
    expect(await one.transform(chunkedResponse(pieces(html, 5))).text()).toBe(
      '<p data-tailor="greeting" hidden="">hi</p><!-- greeting -->'
    )
    const none = buildRewriter(edits, { summary: () => '' })
    expect(await none.transform(chunkedResponse([html])).text()).toBe(
      '<p data-tailor="greeting" hidden="">hi</p>'
    )
  })
})

describe('beware: HTMLRewriter applies no implied end tags (why `npm run check` warns)', () => {
  it.each([
    [
      '<main><p class="s">open<div>a browser keeps this outside the p</div></main>',
      '<main><p class="s">X</main>',
    ],
    ['<ul><li class="s">one<li>two</ul>', '<ul><li class="s">X</ul>'],
    ['<div><h1 class="s">Title</h3><p>after</p></div>', '<div><h1 class="s">X</div>'],
  ])('%s', async (html, expected) => {
    expect(await rewriteOnce([{ selector: '.s', kind: 'text', text: 'X' }], html)).toBe(expected)
  })
})

describe('recover: false (the runtime streams the output itself)', () => {
  it('rewrites the same, records what it saw, and settles done once the body is read', async () => {
    const edits: SlotEdit[] = [
      { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'text', text: 'Hi' },
      { selector: '#absent', slot: 'absent', kind: 'hide' },
    ]
    for (const cut of splits(PAGE)) {
      const fast = buildRewriter(edits, { recover: false })
      const out = await fast.transform(chunkedResponse(cut)).text()
      expect(out).toBe(await buildRewriter(edits).transform(chunkedResponse(cut)).text())
      expect(await fast.done).toBe('rewritten')
      expect([...fast.seen]).toEqual(['greeting'])
    }
  })

  it('never reads the origin body in JavaScript: the runtime feeds the rewriter itself', async () => {
    // A JS pull stream on the input cost ~2.5 ms of CPU per 100 KB page in workerd (issue 9).
    const edits: SlotEdit[] = [
      { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'text', text: 'Hi' },
    ]
    const res = chunkedResponse(splits(PAGE)[0] ?? [PAGE])
    const getReader = vi.spyOn(res.body as ReadableStream<Uint8Array>, 'getReader')
    const fast = buildRewriter(edits, { recover: false })
    const out = await fast.transform(res).text()
    expect(out).toBe(
      await buildRewriter(edits)
        .transform(chunkedResponse([PAGE]))
        .text()
    )
    expect(getReader).not.toHaveBeenCalled()
    expect(await fast.done).toBe('rewritten')
  })

  it('settle: false rewrites the same and records what it saw, with no callback at the end', async () => {
    const edits: SlotEdit[] = [
      { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'text', text: 'Hi' },
      { selector: '#absent', slot: 'absent', kind: 'hide' },
    ]
    const bare = buildRewriter(edits, { recover: false, settle: false })
    const out = await bare.transform(chunkedResponse(splits(PAGE)[0] ?? [PAGE])).text()
    expect(out).toBe(
      await buildRewriter(edits)
        .transform(chunkedResponse([PAGE]))
        .text()
    )
    expect([...bare.seen]).toEqual(['greeting'])
    // Nothing told it the document ended: `done` is still pending once the body has been read.
    const pending = Symbol('pending')
    expect(await Promise.race([bare.done, Promise.resolve(pending)])).toBe(pending)
  })

  it('shared: one HTMLRewriter per list of edits, the same bytes, however many pages at once', async () => {
    const edits: SlotEdit[] = [
      { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'html', html: '<em>Hi</em>' },
      { selector: '[data-tailor="banner"]', slot: 'banner', kind: 'remove' },
      {
        selector: 'p',
        slot: 'lead',
        kind: 'attributes',
        set: [['title', 'a&b']],
        remove: [],
        addClass: ['fr'],
        removeClass: ['big'],
      },
    ]
    const expected = await buildRewriter(edits)
      .transform(chunkedResponse([PAGE]))
      .text()
    const on = vi.spyOn(HTMLRewriter.prototype, 'on')
    const options = { recover: false, settle: false, shared: true }
    const first = buildRewriter(edits, options)
    const built = on.mock.calls.length
    // Other edits are another rewriter; the same edits, in new objects, are the same one.
    buildRewriter([{ selector: 'p', kind: 'hide' }], options)
    const again = buildRewriter(structuredClone(edits), options)
    expect(built).toBe(3)
    expect(on.mock.calls.length).toBe(built + 1)
    on.mockRestore()
    const outputs = await Promise.all(
      [first, again, first, again].map((r, i) =>
        r.transform(chunkedResponse(splits(PAGE)[i % 2] ?? [PAGE])).text()
      )
    )
    expect(outputs).toEqual([expected, expected, expected, expected])
    // Nothing is recorded, and nobody is told the end.
    expect(first.seen.size + first.kept.size).toBe(0)
  })

  it('shared: edits that differ anywhere (kind, selector, content, order) get their own rewriter', async () => {
    const options = { recover: false, settle: false, shared: true }
    const lists: SlotEdit[][] = [
      [{ selector: 'footer', kind: 'text', text: '<i>1</i>' }],
      [{ selector: 'footer', kind: 'html', html: '<i>1</i>' }],
      [{ selector: 'footer', kind: 'text', text: '<i>2</i>' }],
      [
        { selector: 'footer', kind: 'text', text: 'a' },
        { selector: 'footer', kind: 'text', text: 'b' },
      ],
      [
        { selector: 'footer', kind: 'text', text: 'b' },
        { selector: 'footer', kind: 'text', text: 'a' },
      ],
    ]
    const outputs = []
    for (const edits of lists) {
      const page = '<footer>bye</footer>'
      outputs.push(
        await buildRewriter(edits, options)
          .transform(chunkedResponse([page]))
          .text(),
        await buildRewriter(edits)
          .transform(chunkedResponse([page]))
          .text()
      )
    }
    // Each list's shared rewriter writes what a rewriter of its own writes, and no two are alike.
    for (let i = 0; i < outputs.length; i += 2) {
      expect(outputs[i]).toBe(outputs[i + 1])
    }
    expect(new Set(outputs).size).toBe(lists.length)
  })

  it.each<[string, RewriterOptions]>([
    ['the end is awaited', { recover: false, settle: true, shared: true }],
    ['a handler is listened to', { recover: false, settle: false, shared: true, onSeen: () => {} }],
    ['recovery is on', { recover: true, settle: false, shared: true }],
    ['a summary is asked for', { recover: false, settle: false, shared: true, summary: () => 'x' }],
  ])('shared is ignored when %s: the page gets its own record', async (_name, options) => {
    const edits: SlotEdit[] = [
      { selector: '[data-tailor="greeting"]', slot: 'greeting', kind: 'text', text: 'Hi' },
    ]
    const on = vi.spyOn(HTMLRewriter.prototype, 'on')
    const a = buildRewriter(edits, options)
    const b = buildRewriter(edits, options)
    expect(on.mock.calls.length).toBeGreaterThanOrEqual(2)
    on.mockRestore()
    await a.transform(chunkedResponse([PAGE])).text()
    await b.transform(chunkedResponse([PAGE])).text()
    expect([...a.seen]).toEqual(['greeting'])
    expect([...b.seen]).toEqual(['greeting'])
  })

  it("a parser error is the runtime's: reading the body fails", async () => {
    const fast = buildRewriter([{ selector: '#absent', kind: 'hide' }], { recover: false })
    const res = fast.transform(chunkedResponse([AMBIGUOUS[0] as string]))
    await expect(res.text()).rejects.toThrow(/Parser error/)
  })

  it('template edits and summaries still get the byte stage (and recovery)', async () => {
    const html = '<h1 data-tailor="hero">Hello</h1>'
    const fast = buildRewriter([{ selector: 'h1', slot: 'hero', kind: 'template', id: 'x' }], {
      recover: false,
    })
    expect(await fast.transform(chunkedResponse(pieces(html, 3))).text()).toBe(html)
    expect([...fast.kept]).toEqual(['hero'])
  })
})
