// The centre's stylesheet survives JSX escaping unchanged, and keeps its contrast promises.
import { describe, expect, it } from 'vitest'
import { contrastOf } from '../config'
import { centreStyles } from './styles'

const BRANDS = [
  { accent: '#2557a7', background: '#ffffff', text: '#1f2328' },
  { accent: '#ffff00', background: '#ffffff', text: '#000000' },
  { accent: 'rgb(47, 93, 80)', background: '#fbfaf6', text: '#1d2a2f' },
  { accent: '#e0e0e0', background: '#111111', text: '#eeeeee' },
]

describe('centreStyles', () => {
  it.each(BRANDS)('holds no character that HTML escaping would change (%j)', (brand) => {
    expect(centreStyles(brand)).not.toMatch(/[<>&'"]/)
  })

  it.each(BRANDS)('uses the accent for links and rings only where it contrasts (%j)', (brand) => {
    const css = centreStyles(brand)
    const link = /--link: ([^;]+);/.exec(css)?.[1] ?? ''
    const ring = /--ring: ([^;]+);/.exec(css)?.[1] ?? ''
    const onAccent = /--on-accent: ([^;]+);/.exec(css)?.[1] ?? ''
    expect(contrastOf(link, brand.background)).toBeGreaterThanOrEqual(4.5)
    expect(contrastOf(ring, brand.background)).toBeGreaterThanOrEqual(3)
    expect(contrastOf(onAccent, brand.accent)).toBeGreaterThanOrEqual(4.5)
  })

  it('has a visible focus style', () => {
    expect(centreStyles(BRANDS[0]!)).toContain(':focus-visible { outline: 3px solid var(--ring)')
  })
})
