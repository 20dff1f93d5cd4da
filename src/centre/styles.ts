// The centre's one small stylesheet: neutral, system fonts, brand colours from the config.
import type { Brand } from '../config'
import { contrastOf, textOn } from '../config'

/**
 * The stylesheet for a brand. Colours come only from the validated config (`#rrggbb`, `#rgb`,
 * `rgb(r, g, b)`), and the text holds none of `< > & ' "`, so the HTML escaping JSX applies to
 * a `<style>` element's text changes nothing (a test checks it).
 *
 * Contrast (WCAG 2.2): body text on the background is ≥ 4.5:1 (the config refuses less); button
 * labels are black or white, whichever reads better on the accent (≥ 4.5:1 for any accent);
 * links and focus rings use the accent only where it reaches 4.5:1 (links) and 3:1 (rings,
 * §1.4.11) against the background, else the text colour.
 * @example centreStyles({ accent: '#2557a7', background: '#ffffff', text: '#1f2328' })
 */
export function centreStyles(brand: Pick<Brand, 'accent' | 'background' | 'text'>): string {
  const { accent, background, text } = brand
  const link = contrastOf(accent, background) >= 4.5 ? accent : text
  const ring = contrastOf(accent, background) >= 3 ? accent : text
  return `
:root { --accent: ${accent}; --on-accent: ${textOn(accent)}; --bg: ${background}; --text: ${text};
  --link: ${link}; --ring: ${ring}; --danger: #a40e26; --line: rgb(127, 127, 127); }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.55 system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif; }
.wrap { max-width: 46rem; margin: 0 auto; padding: 1.25rem; }
header.top { display: flex; align-items: center; gap: 0.75rem; padding-bottom: 1rem;
  border-bottom: 1px solid var(--line); }
header.top img { width: 40px; height: 40px; }
header.top a { color: var(--text); font-weight: 600; text-decoration: none; }
header.top a:hover { text-decoration: underline; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
section { margin: 1.25rem 0; padding: 1.25rem; border: 1px solid var(--line); border-radius: 12px; }
p { margin: 0 0 0.75rem; }
.lead { font-size: 1.05rem; }
.note { font-size: 0.925rem; }
a { color: var(--link); text-decoration: underline; text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--ring); outline-offset: 2px; }
dl { margin: 0 0 0.75rem; display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: 0.35rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
ul.why { list-style: none; margin: 0 0 0.75rem; padding: 0; }
ul.why li { padding: 0.6rem 0; border-top: 1px solid var(--line); }
ul.why li:first-child { border-top: 0; }
.block { font-weight: 600; }
.flash, .alert, .notice { padding: 0.75rem 1rem; border-radius: 10px; border: 2px solid var(--ring); margin: 1rem 0; }
.alert { border-color: var(--danger); }
fieldset { border: 0; margin: 0 0 1rem; padding: 0; }
legend, label.field { display: block; font-weight: 600; margin-bottom: 0.35rem; padding: 0; }
.hint { display: block; font-size: 0.9rem; margin: -0.2rem 0 0.4rem; }
.error { color: var(--danger); font-weight: 600; }
.check { display: flex; align-items: center; gap: 0.5rem; margin: 0.25rem 0; }
.check input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: var(--accent); }
input[type=text], select { font: inherit; color: inherit; background: var(--bg); width: 100%;
  max-width: 24rem; padding: 0.45rem 0.6rem; border: 1px solid currentColor; border-radius: 8px; }
.field-group { margin-bottom: 1rem; }
button { font: inherit; font-weight: 600; cursor: pointer; padding: 0.55rem 1.1rem; border-radius: 8px;
  border: 2px solid var(--accent); background: var(--accent); color: var(--on-accent); }
button.quiet { background: transparent; color: var(--text); border-color: currentColor; }
button.danger { background: var(--danger); border-color: var(--danger); color: #ffffff; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
form.inline { display: inline; }
footer.bottom { font-size: 0.9rem; padding: 1rem 0 2rem; }
@media (max-width: 32rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.5rem; } }
`
}
