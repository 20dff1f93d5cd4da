// Realistic generated pages for the benchmark: nested markup, styles, scripts, and 50 marked slots.

/** Page sizes the benchmark serves, by name, in bytes (approximate targets). */
export const PAGE_SIZES = { '15k': 15_000, '100k': 100_000, '1m': 1_000_000 } as const
export type PageSize = keyof typeof PAGE_SIZES

/** How many marked slots every generated page carries (`data-tailor="slot-0"` … `slot-49`). */
export const PAGE_SLOTS = 50

const WORDS = (
  'trail ridge summit valley river forest gravel climb descent route map weather layer boot ' +
  'tent stove lantern compass harness rope chalk helmet saddle wheel chain pedal tyre pump ' +
  'cadence tempo interval stride pace marathon sprint recovery stretch hydrate snack sunrise ' +
  'dusk alpine coastal desert meadow lake glacier ferry village hut refuge campfire'
).split(' ')

/** A small deterministic PRNG (mulberry32), so every run serves the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function words(rand: () => number, n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    out.push(WORDS[Math.floor(rand() * WORDS.length)] ?? 'trail')
  }
  return out.join(' ')
}

const STYLE = `<style>
:root{--fg:#1d2a1f;--bg:#fbfaf5;--accent:#2f6d3a}
body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0}
header,footer{padding:1rem 2rem;background:#e9efe6}
nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1.5rem;padding:2rem}
.card{border:1px solid #cfd8cc;border-radius:.5rem;padding:1rem;background:#fff}
.card h3{margin:.2rem 0 .5rem;font-size:1.1rem}.card .meta{color:#5b6b5e;font-size:.85rem}
.slot{border-left:4px solid var(--accent);padding:.5rem 1rem;margin:1rem 2rem}
.price{font-weight:700}.tag{display:inline-block;padding:0 .4rem;border-radius:1rem;background:#eef}
@media (max-width:40rem){.grid{grid-template-columns:1fr;padding:1rem}}
</style>`

function card(rand: () => number, i: number): string {
  const title = words(rand, 3)
  return `<article class="card" id="card-${i}" data-sku="SKU-${1000 + i}">
  <a href="/gear/${i}/${title.replace(/ /g, '-')}"><img src="/img/gear-${i % 40}.jpg" alt="${title}" width="320" height="200" loading="lazy"></a>
  <h3><a href="/gear/${i}">${title}</a></h3>
  <p class="meta"><span class="tag">${words(rand, 1)}</span> <span class="tag">${words(rand, 1)}</span> · <time datetime="2026-0${1 + (i % 9)}-1${i % 10}">${1 + (i % 28)} days ago</time></p>
  <p>${words(rand, 24 + Math.floor(rand() * 20))}.</p>
  <ul><li>${words(rand, 4)}</li><li>${words(rand, 5)}</li><li>${words(rand, 3)}</li></ul>
  <p class="price" data-price="${(20 + rand() * 300).toFixed(2)}">€${(20 + rand() * 300).toFixed(2)}</p>
  <button type="button" class="add" data-id="${i}">Add to basket</button>
</article>
`
}

function slot(i: number, rand: () => number, attribute: string): string {
  return `<section class="slot" ${attribute}="slot-${i}"><h2>Default heading ${i}</h2><p>${words(rand, 10)}.</p></section>\n`
}

/**
 * The page of issue 9's outside harness: ~100 KB with 60 `data-slot` blocks (origin path
 * `/harness/100k`).
 */
export const HARNESS_PAGE = { bytes: 100_000, attribute: 'data-slot', slots: 60 } as const

/** The slots' marking attribute and how many there are (default `data-tailor`, 50). */
export type PageOptions = { attribute?: string; slots?: number }

/**
 * A whole HTML page of about `bytes` bytes (UTF-8), with `PAGE_SLOTS` slots spread evenly through
 * the body between article cards, an inline style sheet, JSON-LD and inline scripts.
 * @example generatePage(100_000).length // ≈ 100 000
 */
export function generatePage(
  bytes: number,
  { attribute = 'data-tailor', slots = PAGE_SLOTS }: PageOptions = {}
): string {
  const rand = prng(bytes)
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trailhead: gear and stories for the outdoors</title>
<link rel="stylesheet" href="/css/site.css"><link rel="preload" href="/fonts/inter.woff2" as="font" crossorigin>
${STYLE}
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Store","name":"Trailhead","url":"https://shop.example/"}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>
</head><body>
<header><a href="/" class="logo">Trailhead</a><nav><ul><li><a href="/cycling">Cycling</a></li><li><a href="/running">Running</a></li><li><a href="/hiking">Hiking</a></li><li><a href="/climbing">Climbing</a></li></ul></nav></header>
<main>
`
  const tail = `</main>
<footer><p>© 2026 Trailhead · <a href="/privacy">Privacy</a> · <a href="/_tailor/">Your preferences</a></p></footer>
<script>document.querySelectorAll('.add').forEach(function(b){b.addEventListener('click',function(){b.textContent='Added'})})</script>
</body></html>
`
  // Fill with cards until the target size, then place the slots evenly between them.
  const budget = Math.max(0, bytes - head.length - tail.length - slots * 195)
  const cards: string[] = []
  let used = 0
  while (used < budget) {
    const c = card(rand, cards.length)
    cards.push(c)
    used += c.length
  }
  const parts: string[] = [head]
  let next = 0
  for (let s = 0; s < slots; s++) {
    const until = Math.floor(((s + 1) * cards.length) / (slots + 1))
    parts.push('<div class="grid">\n')
    for (; next < until; next++) {
      parts.push(cards[next] ?? '')
    }
    parts.push('</div>\n', slot(s, rand, attribute))
  }
  parts.push('<div class="grid">\n', ...cards.slice(next), '</div>\n', tail)
  return parts.join('')
}
