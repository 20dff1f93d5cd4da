// `npm run check` as a site owner runs it: a child process on fixture configs and pages.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTEXT_FIELDS } from '../../src/context'

const FIX = 'test/fixtures/check'

type Run = { code: number | null; stdout: string; stderr: string }

/** `node scripts/run-ts.mjs scripts/check.ts ...args` from the project root, as `npm run` would. */
function check(...args: string[]): Promise<Run> {
  // INIT_CWD (set when the tests run under `npm test`) would move relative paths; drop it.
  const env = { ...process.env, INIT_CWD: undefined }
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['scripts/run-ts.mjs', 'scripts/check.ts', ...args],
      { env, timeout: 50_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        done({ code, stdout, stderr })
      }
    )
  })
}

const lines = (run: Run) => run.stdout.trimEnd().split('\n')

/** The "Expected one of" list compileConfig gives for a config whose only preference is `interests`. */
const FIELDS = [...Object.keys(CONTEXT_FIELDS), 'prefs.interests'].join(', ')

describe('npm run check', () => {
  it('passes the project config and says how big it is', async () => {
    type Slots = Record<string, { variants: unknown[] }>
    const config: { slots: Slots; hosts?: Record<string, { slots: Slots }> } = JSON.parse(
      await readFile('tailor.config.json', 'utf8')
    )
    const groups = [config.slots, ...Object.values(config.hosts ?? {}).map((h) => h.slots)]
    const slots = groups.flatMap((g) => Object.values(g))
    const variants = slots.reduce((n, s) => n + s.variants.length, 0)
    const run = await check()
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe(
      `tailor.config.json: OK (${slots.length} slots, ${variants} variants)\n`
    )
    expect(run.code).toBe(0)
  })

  it('reports every kind of error and warning, one line each, errors first', async () => {
    const run = await check(`${FIX}/problems.json`)
    expect(lines(run)).toEqual([
      'error: config: slots.hero.selector: Expected a CSS selector HTMLRewriter supports. Got "p[" (Parser error: Unexpected end of selector.).',
      'error: config: slots.hero.variants[1].when.$segment: Unknown segment "runner". Expected one of: cyclist.',
      `error: config: slots.greeting.variants[0].when["prefs.colour"]: Unknown field "prefs.colour". Expected one of: ${FIELDS}.`,
      `error: config: slots.greeting.variants[1].action.html: Unknown field "prefs.nickname" in {{prefs.nickname}}. Expected one of: ${FIELDS}.`,
      'error: config: slots.greeting.variants[2]: Never chosen: variants[1] ("hello") has no condition and always applies first. Expected variants without "when" last.',
      'warning: config: slots.banner.variants[0]: No "label": the preview and the preference centre will show the id "tracker".',
      'warning: config: slots.banner.variants[0].action.html: Contains "<script": this markup runs as script on every page the variant reaches. Keep scripts on the origin.',
      "warning: config: slots.empty.variants: No variants: every visitor sees the origin's content. Expected at least one.",
      `${FIX}/problems.json: 5 errors, 3 warnings`,
    ])
    expect(run.code).toBe(1)
  })

  it('reports schema errors with their field paths, as the worker does', async () => {
    const run = await check(`${FIX}/schema-errors.json`)
    expect(lines(run)).toEqual([
      'error: config: version: Expected 1. Got 2.',
      'error: config: slots.hero.selector: Expected a value. Got nothing (the field is required).',
      'error: config: slots.hero.selecter: Unknown field "selecter". Check its spelling against tailor.schema.json.',
      `${FIX}/schema-errors.json: 3 errors, 0 warnings`,
    ])
    expect(run.code).toBe(1)
  })

  it('says the line and column of invalid JSON', async () => {
    const run = await check(`${FIX}/invalid.json.txt`)
    expect(lines(run)).toEqual([
      `error: ${FIX}/invalid.json.txt:4:14: Invalid JSON: Expected another property after ",". Got "}" (JSON allows no trailing comma).`,
      `${FIX}/invalid.json.txt: 1 error, 0 warnings`,
    ])
    expect(run.code).toBe(1)
  })

  it('rejects the selectors HTMLRewriter rejects, asking workerd itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tailor-check-'))
    try {
      const slot = (selector: string) => ({
        selector,
        variants: [{ id: 'a', label: 'A', action: { type: 'hide' } }],
      })
      const file = join(dir, 'selectors.json')
      const config = {
        version: 1,
        locales: ['en'],
        slots: {
          ok: slot('main > p.lead:first-child, [data-x="1"]'),
          sibling: slot('h1 ~ p'),
          hover: slot('a:hover'),
        },
      }
      await writeFile(file, JSON.stringify(config))
      const run = await check(file)
      expect(lines(run)).toEqual([
        'error: config: slots.sibling.selector: Expected a CSS selector HTMLRewriter supports. Got "h1 ~ p" (Parser error: Unsupported combinator `~` in selector.).',
        'error: config: slots.hover.selector: Expected a CSS selector HTMLRewriter supports. Got "a:hover" (Parser error: Unsupported pseudo-class or pseudo-element in selector.).',
        `${file}: 2 errors, 0 warnings`,
      ])
      expect(run.code).toBe(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('prints warnings but exits 0; --strict makes them fail', async () => {
    const expected = [
      'warning: config: slots.tagline.variants[0]: No "label": the preview and the preference centre will show the id "fr".',
      `${FIX}/warnings.json: 0 errors, 1 warning`,
    ]
    const plain = await check(`${FIX}/warnings.json`)
    expect(lines(plain)).toEqual(expected)
    expect(plain.code).toBe(0)
    const strict = await check(`${FIX}/warnings.json`, '--strict')
    expect(lines(strict)).toEqual(expected)
    expect(strict.code).toBe(1)
  })

  it('warns when a click goal can never count, from the config alone', async () => {
    const run = await check(`${FIX}/click-goals.json`)
    const arm = (j: number, variant: string, at: number, why: string) =>
      `warning: config: experiments[0].arms[${j}]: No link to click: variant "${variant}" (slots.box.variants[${at}]) ${why}, so click goal "box-click" never counts for this arm. Expected a link (<a href>) in what the arm shows, or a page or event goal for it.`
    // Not said: the linked variant, the origin's block and the attributes arm (the page's to
    // say, with --against), the draft's templates, the stopped test, the event-goal draft.
    expect(lines(run)).toEqual([
      'warning: config: experiments[0].goals[1]: Never counts: the links\' ping carries only the experiment\'s first click goal ("box-click"). Expected one click goal per experiment, or an event goal.',
      arm(1, 'plain', 0, 'has no link (<a href>) in its html'),
      arm(3, 'words', 2, 'replaces the block with text'),
      arm(4, 'gone', 3, 'hides the block'),
      'warning: config: experiments[0].arms[5]: No link to click for some visitors: this arm shows the slot\'s normal decision, and click goal "box-click" never counts when the rules choose variant "plain" (slots.box.variants[0]), which has no link (<a href>) in its html, or variant "words" (slots.box.variants[2]), which replaces the block with text, or variant "gone" (slots.box.variants[3]), which hides the block. Expected a link (<a href>) in every variant the rules may show, or a page or event goal.',
      `${FIX}/click-goals.json: 0 errors, 5 warnings`,
    ])
    expect(run.code).toBe(0)
  })

  it('--json gives the same findings for machines', async () => {
    const run = await check(`${FIX}/problems.json`, '--json')
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({
      file: `${FIX}/problems.json`,
      ok: false,
      strict: false,
      slots: 4,
      variants: 6,
      against: null,
    })
    expect(report.errors).toHaveLength(5)
    expect(report.errors[0]).toEqual({
      severity: 'error',
      source: 'config',
      path: 'slots.hero.selector',
      message:
        'Expected a CSS selector HTMLRewriter supports. Got "p[" (Parser error: Unexpected end of selector.).',
      text: 'config: slots.hero.selector: Expected a CSS selector HTMLRewriter supports. Got "p[" (Parser error: Unexpected end of selector.).',
    })
    expect(report.warnings.map((w: { path: string }) => w.path)).toEqual([
      'slots.banner.variants[0]',
      'slots.banner.variants[0].action.html',
      'slots.empty.variants',
    ])
  })

  it('--json gives invalid JSON its line and column', async () => {
    const run = await check(`${FIX}/invalid.json.txt`, '--json')
    const report = JSON.parse(run.stdout)
    expect(report.errors).toEqual([
      expect.objectContaining({ source: 'file', line: 4, column: 14 }),
    ])
    expect(run.code).toBe(1)
  })

  it('says so when the file cannot be read', async () => {
    const run = await check('no-such-config.json')
    expect(lines(run)[0]).toMatch(
      /^error: no-such-config\.json: Could not read the file \(ENOENT: no such file or directory, open '.*no-such-config\.json'\)\.$/
    )
    expect(run.code).toBe(1)
  })

  it('refuses unknown options with the usage and exit code 2', async () => {
    const run = await check('--frobnicate')
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^check: Unknown option '--frobnicate'/)
    expect(run.stderr).toContain('usage: npm run check --')
    expect(run.code).toBe(2)
  })
})

describe('npm run check -- --against', () => {
  let server: Server
  let base: string
  const requests: string[] = []

  beforeAll(async () => {
    const page = await readFile(`${FIX}/page.html`)
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (path === '/' || path === '/shop/cart') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page)
      } else if (req.url === '/feed.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(page)
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      }
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((ok) => server.close(ok))
  })

  it('matches each slot in a page file with HTMLRewriter and finds its templates', async () => {
    const run = await check(`${FIX}/against.json`, '--against', `${FIX}/page.html`)
    expect(lines(run)).toEqual([
      `against ${FIX}/page.html:`,
      '  hero    [data-tailor="hero"]  1 match    templates: cycling ✓ running ✗ hiking ✓',
      '  note    p.note                2 matches',
      '  promo   #promo                0 matches',
      '  basket  #basket               1 match',
      `warning: config: slots.hero.variants[1].action.id: No <template data-tailor-variant="running"> inside [data-tailor="hero"] in ${FIX}/page.html: this variant would leave the slot as the page has it.`,
      `warning: config: slots.promo.selector: Matches nothing in ${FIX}/page.html: the slot never changes there.`,
      `${FIX}/against.json: 0 errors, 2 warnings`,
    ])
    expect(run.code).toBe(0)
  })

  it('fetches a page over HTTP and skips slots whose paths exclude it', async () => {
    const run = await check(`${FIX}/against.json`, '--against', `${base}/?from=check`)
    expect(requests).toContain('/?from=check')
    expect(lines(run)).toEqual([
      `against ${base}/?from=check:`,
      '  hero    [data-tailor="hero"]  1 match                          templates: cycling ✓ running ✗ hiking ✓',
      '  note    p.note                2 matches',
      '  promo   #promo                0 matches',
      '  basket  #basket               not on this path (paths: /shop)',
      `warning: config: slots.hero.variants[1].action.id: No <template data-tailor-variant="running"> inside [data-tailor="hero"] in ${base}/?from=check: this variant would leave the slot as the page has it.`,
      `warning: config: slots.promo.selector: Matches nothing in ${base}/?from=check: the slot never changes there.`,
      `${FIX}/against.json: 0 errors, 2 warnings`,
    ])
    expect(run.code).toBe(0)

    const shop = await check(`${FIX}/against.json`, '--against', `${base}/shop/cart`, '--json')
    const report = JSON.parse(shop.stdout)
    expect(report.against.slots.at(-1)).toMatchObject({ id: 'basket', applies: true, matches: 1 })
  })

  it('fails when the page is not there, and warns when it is not HTML', async () => {
    const missing = await check(`${FIX}/against.json`, '--against', `${base}/gone`)
    expect(lines(missing)).toEqual([
      `error: against: ${base}/gone: Expected a 2xx response. Got HTTP 404.`,
      `warning: config: slots.note.selector: Replaces or removes the content of <p>, which a browser may close without an end tag; HTMLRewriter does not, so where the page leaves one open the variant takes everything up to its parent's end. Expected a slot on an element with a required end tag (div, section, span…); \`--against\` checks a page.`,
      `${FIX}/against.json: 1 error, 1 warning`,
    ])
    expect(missing.code).toBe(1)

    const json = await check(`${FIX}/against.json`, '--against', `${base}/feed.json`)
    expect(lines(json)).toContain(
      `warning: against: ${base}/feed.json: Tailor would not rewrite this response (not html: application/json).`
    )
    expect(json.code).toBe(0)
  })

  it('--strict turns a slot that matches nothing into a failure', async () => {
    const run = await check(`${FIX}/against.json`, '--against', `${FIX}/page.html`, '--strict')
    expect(run.code).toBe(1)
  })

  it('names the slots whose elements the page leaves open (parse5), and what they would take', async () => {
    const run = await check(`${FIX}/implied.json`, '--against', `${FIX}/implied.html.txt`)
    const takes = (tag: string, line: number, n: number) =>
      `Matches a <${tag}> at line ${line} in ${FIX}/implied.html.txt that has no end tag: a browser closes it there, HTMLRewriter does not, so replacing or removing its content also takes the next ${n} characters of the page. Expected a slot element the page closes itself (add </${tag}>, or mark a wrapper).`
    expect(lines(run)).toEqual([
      `against ${FIX}/implied.html.txt:`,
      '  lead    p.lead               1 match  no end tag: <p> line 5',
      '  item    [data-slot="item"]   1 match  no end tag: <li> line 9',
      '  title   [data-slot="title"]  1 match  no end tag: <h1> line 12',
      '  closed  li.closed            1 match',
      `warning: config: slots.lead.selector: ${takes('p', 5, 47)}`,
      `warning: config: slots.item.selector: ${takes('li', 9, 32)}`,
      `${FIX}/implied.json: 0 errors, 2 warnings`,
    ])
    const json = JSON.parse(
      (await check(`${FIX}/implied.json`, '--against', `${FIX}/implied.html.txt`, '--json')).stdout
    )
    expect(json.against.slots.map((s: { open: unknown }) => s.open)).toEqual([
      [{ tag: 'p', line: 5, extra: 47 }],
      [{ tag: 'li', line: 9, extra: 32 }],
      [{ tag: 'h1', line: 12, extra: 23 }],
      [],
    ])
  })

  it('without a page, warns on content actions for elements whose end tag is optional', async () => {
    const run = await check(`${FIX}/implied.json`)
    const warn = (slot: string, tag: string) =>
      `warning: config: slots.${slot}.selector: Replaces or removes the content of <${tag}>, which a browser may close without an end tag; HTMLRewriter does not, so where the page leaves one open the variant takes everything up to its parent's end. Expected a slot on an element with a required end tag (div, section, span…); \`--against\` checks a page.`
    expect(lines(run)).toEqual([
      warn('lead', 'p'),
      warn('closed', 'li'),
      `${FIX}/implied.json: 0 errors, 2 warnings`,
    ])
  })

  it('warns when an arm shows a block or a template of the page without a link', async () => {
    const page = `${FIX}/click-goals.html`
    const run = await check(`${FIX}/click-goals.json`, '--against', page)
    const block = (j: number, when = '') =>
      `warning: config: experiments[0].arms[${j}]: No link to click in ${page}: #box has no <a href> there, and this arm shows the page's own block${when}, so click goal "box-click" never counts for it. Expected a link in the block on the page, or a page or event goal for it.`
    const got = lines(run)
    expect(got.slice(0, 3)).toEqual([
      `against ${page}:`,
      '  box   #box   1 match',
      '  hero  #hero  1 match  templates: ride ✓ walk ✓',
    ])
    // After the five the config alone gives: the origin's block (its <a name> is no link, and the
    // template's link is the template's), the rules arm when no variant applies, the attributes
    // arm; and the draft's "walk" template. Its "ride" template and the page's hero have links.
    expect(got.slice(8)).toEqual([
      block(0),
      block(5, ' whenever no variant applies'),
      block(6),
      `warning: config: experiments[1].arms[2]: No link to click in ${page}: <template data-tailor-variant="walk"> inside #hero has no <a href>, so click goal "story-click" never counts for this arm. Expected a link in the template, or a page or event goal for it.`,
      `${FIX}/click-goals.json: 0 errors, 9 warnings`,
    ])
    expect(run.code).toBe(0)
    const json = JSON.parse(
      (await check(`${FIX}/click-goals.json`, '--against', page, '--json')).stdout
    )
    expect(json.against.slots.map((s: { links: number }) => s.links)).toEqual([0, 1])

    // The same block with a link: nothing more to say than the config alone says.
    const dir = await mkdtemp(join(tmpdir(), 'tailor-check-'))
    try {
      const linked = join(dir, 'linked.html')
      const html = await readFile(page, 'utf8')
      await writeFile(linked, html.replace('<a name="spring">', '<a href="/spring/">'))
      const fixed = await check(`${FIX}/click-goals.json`, '--against', linked)
      expect(lines(fixed).filter((l) => l.includes(`No link to click in`))).toEqual([
        `warning: config: experiments[1].arms[2]: No link to click in ${linked}: <template data-tailor-variant="walk"> inside #hero has no <a href>, so click goal "story-click" never counts for this arm. Expected a link in the template, or a page or event goal for it.`,
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it("passes the demo's config against its home page: every tested block has links", async () => {
    const run = await check('--against', 'demo/site/index.html')
    expect(run.stdout).not.toContain('warning')
    expect(lines(run).at(-1)).toMatch(/^tailor\.config\.json: OK \(\d+ slots, \d+ variants\)$/)
    expect(run.code).toBe(0)
  })

  it('does not match pages against a config with errors', async () => {
    const run = await check(`${FIX}/problems.json`, '--against', `${FIX}/page.html`)
    expect(run.stdout).not.toContain('against ')
    expect(run.code).toBe(1)
  })
})
