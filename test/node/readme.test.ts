// The front door stays short and leads everywhere: README size, links to every docs/ page, short table cells.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'

const README = readFileSync('README.md', 'utf8')
const PAGES = ['README.md', 'bench/README.md', ...readdirSync('docs').map((f) => `docs/${f}`)]

/** Relative Markdown link targets of a page, without their #fragment. */
function links(text: string): string[] {
  return [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target))
}

describe('README.md', () => {
  it('is at most 15 KB and about 150 lines', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(15 * 1024)
    expect(README.split('\n').length).toBeLessThanOrEqual(160)
  })

  it('links every docs/ page', () => {
    for (const page of readdirSync('docs')) {
      expect(README).toContain(`(docs/${page}`)
    }
  })
})

describe.each(PAGES)('%s', (page) => {
  const text = readFileSync(page, 'utf8')

  it('links only to files that exist', () => {
    for (const target of links(text)) {
      expect(existsSync(join(dirname(page), target)), target).toBe(true)
    }
  })

  it('has no table cell longer than a sentence', () => {
    const cells = text
      .split('\n')
      .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
      .flatMap((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
    const long = cells.filter((cell) => /[.!?]\s+[A-Z`]/.test(cell.replace(/`[^`]*`/g, 'x')))
    expect(long).toEqual([])
  })
})
