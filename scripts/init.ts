// `npm run init`: write a small, valid tailor.config.json for your own site, with one example slot.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { text } from 'node:stream/consumers'

const USAGE = `usage: npm run init -- [--origin URL] [--locales en,fr] [--brand NAME] [--out FILE]
                        [--wrangler FILE] [--yes] [--force]

Writes a config for your own site (default ./tailor.config.json) with one example slot,
[data-tailor="hero"], and points ORIGIN in wrangler.toml (and wrangler.console.toml beside it) at
your site. Asks for what the
flags do not give, unless --yes (then: locales "en", brand = the origin's hostname).

  --origin URL      your site, e.g. https://www.example.com (required with --yes)
  --locales LIST    the site's languages, default first, comma-separated (default: en)
  --brand NAME      the site's name in the preference centre (default: the hostname)
  --out FILE        where to write the config (default: tailor.config.json)
  --wrangler FILE   the wrangler config whose ORIGIN to set, with the wrangler.console.toml
                    beside it (default: wrangler.toml; "none" leaves both alone)
  --yes             ask nothing
  --force           overwrite an existing config file

Exit code: 0 written, 1 refused (the file exists), 2 bad arguments.`

const LOCALE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/

/** What the config is made from. */
export type InitAnswers = { origin: string; locales: string[]; brand: string }

/**
 * Check the origin, locales and brand, in the config's Expected/Got style; throws an Error.
 * @example parseAnswers('https://www.example.com/', 'en, fr', '') // { origin: 'https://www.example.com', locales: ['en', 'fr'], brand: 'www.example.com' }
 */
export function parseAnswers(origin: string, locales: string, brand: string): InitAnswers {
  let url: URL
  try {
    url = new URL(origin.trim())
  } catch {
    throw new Error(
      `origin: Expected an http(s) URL such as "https://www.example.com". Got "${origin}".`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`origin: Expected an http(s) URL. Got "${origin}".`)
  }
  const list = (locales.trim() || 'en').split(',').map((l) => l.trim())
  const bad = list.find((l) => !LOCALE.test(l))
  if (bad !== undefined) {
    throw new Error(`locales: Expected language tags such as "en" or "pt-BR". Got "${bad}".`)
  }
  const name = brand.trim() || url.hostname
  if (name.length > 120) {
    throw new Error(`brand: Expected a name of 120 characters at most. Got ${name.length}.`)
  }
  // A path prefix is kept (the proxy appends the request's path); a trailing "/" is not needed.
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  return { origin: base, locales: [...new Set(list)], brand: name }
}

/**
 * The config document: one example slot, `hero`, with a variant per extra locale and one for a
 * chosen interest; `$comment` and `label` fields say what to change. `today` (YYYY-MM-DD) is the
 * GPC policy's `lastUpdate`.
 * @example initConfig({ origin: 'https://www.example.com', locales: ['en'], brand: 'Example' }).slots.hero
 */
export function initConfig(answers: InitAnswers, today = new Date().toISOString().slice(0, 10)) {
  const [, ...others] = answers.locales
  const byLanguage = others.map((locale) => ({
    id: `lang-${locale.toLowerCase()}`.slice(0, 40),
    label: `Heading in ${locale}`,
    when: { language: locale },
    action: { type: 'text', text: `Your heading in ${locale}` },
  }))
  return {
    $schema: './tailor.schema.json',
    version: 1,
    locales: answers.locales,
    preferences: {
      interests: {
        type: 'set',
        label: 'Your interests',
        options: { news: 'News', guides: 'Guides' },
      },
    },
    slots: {
      hero: {
        $comment:
          'Example slot. Mark the block on your pages with data-tailor="hero". Variants are tried in order; the first whose "when" holds wins; if none does, your page keeps its own content. Edit the texts, or see docs/own-site.md and docs/config.md.',
        label: 'Main heading',
        selector: '[data-tailor="hero"]',
        variants: [
          {
            id: 'guides',
            label: 'For readers who chose Guides',
            when: { 'prefs.interests': 'guides' },
            action: { type: 'text', text: 'Guides picked for you' },
          },
          ...byLanguage,
        ],
      },
    },
    // The site honours GPC through Tailor from today: /.well-known/gpc.json says since when.
    consent: { gpcLastUpdate: today },
    brand: { name: answers.brand },
  }
}

/**
 * Point `ORIGIN = "…"` in wrangler.toml (every [vars] block that has one) at the origin.
 * @example setOrigin('ORIGIN = ""\n', 'https://www.example.com') // 'ORIGIN = "https://www.example.com"\n'
 */
export function setOrigin(toml: string, origin: string): string {
  return toml.replace(/^ORIGIN = ".*"$/gm, `ORIGIN = ${JSON.stringify(origin)}`)
}

/** Questions on a terminal, or answers piped in, one line each (`printf 'URL\nen\n' | …`). */
function asker() {
  let rl: ReturnType<typeof createInterface> | undefined
  let piped: Promise<string[]> | undefined
  return {
    async ask(question: string, fallback: string): Promise<string> {
      const prompt = fallback ? `${question} [${fallback}] ` : `${question} `
      let answer: string
      if (process.stdin.isTTY) {
        rl ??= createInterface({ input: process.stdin, output: process.stdout })
        answer = await rl.question(prompt)
      } else {
        piped ??= text(process.stdin).then((all) => all.split(/\r?\n/))
        answer = (await piped).shift() ?? ''
        console.log(`${prompt}${answer}`)
      }
      return answer.trim() || fallback
    },
    close: () => rl?.close(),
  }
}

async function main(argv: string[]): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        origin: { type: 'string' },
        locales: { type: 'string' },
        brand: { type: 'string' },
        out: { type: 'string', default: 'tailor.config.json' },
        wrangler: { type: 'string', default: 'wrangler.toml' },
        yes: { type: 'boolean', short: 'y', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (err) {
    console.error(`init: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  // Under `npm run`, paths the user typed are relative to their shell's directory.
  const here = process.env.INIT_CWD ?? process.cwd()
  const out = resolve(here, values.out)
  if (existsSync(out) && !values.force) {
    console.error(`init: ${values.out} exists. Run again with --force to replace it.`)
    return 1
  }
  let answers: InitAnswers
  const { ask, close } = asker()
  try {
    if (values.yes && values.origin === undefined) {
      throw new Error('origin: Expected --origin URL with --yes. Got none.')
    }
    const origin = values.origin ?? (await ask('Your site (origin URL):', ''))
    const locales =
      values.locales ?? (values.yes ? 'en' : await ask('Its languages, default first:', 'en'))
    const brand = values.brand ?? (values.yes ? '' : await ask('Its name, for visitors:', ''))
    answers = parseAnswers(origin, locales, brand)
  } catch (err) {
    console.error(`init: ${(err as Error).message}`)
    return 2
  } finally {
    close()
  }
  writeFileSync(out, `${JSON.stringify(initConfig(answers), null, 2)}\n`)
  console.log(`init: wrote ${values.out} for ${answers.origin}`)
  const wrangler = values.wrangler === 'none' ? undefined : resolve(process.cwd(), values.wrangler)
  // The console worker's config beside it reads the same ORIGIN (health, the demo guard).
  const configs = wrangler ? [wrangler, join(dirname(wrangler), 'wrangler.console.toml')] : []
  for (const file of configs.filter((f) => existsSync(f))) {
    writeFileSync(file, setOrigin(readFileSync(file, 'utf8'), answers.origin))
    console.log(`init: ORIGIN in ${relative(process.cwd(), file)} is now ${answers.origin}`)
  }
  console.log(`next:
  1. mark a block on your pages: <h1 data-tailor="hero">…</h1>
  2. npm run check -- --against ${answers.origin}/
  3. npm run dev, then open http://127.0.0.1:8787/ (docs/own-site.md has the rest)`)
  return 0
}

if (process.argv[1]?.endsWith('init.ts')) {
  process.exitCode = await main(process.argv.slice(2))
}
