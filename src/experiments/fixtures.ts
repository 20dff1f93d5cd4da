// Test fixtures for the experiments module: a small config with experiments, compiled.
import type { CompiledConfig } from '../config'
import { compileConfig } from '../config'
import type { Facts } from '../context'

/** A config with two slots, two experiments and a 10% holdout; `patch` replaces top-level fields. */
export function betConfig(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    locales: ['en'],
    preferences: {
      interests: {
        type: 'set',
        label: 'Interests',
        options: { cycling: 'Cycling', running: 'Running' },
      },
    },
    slots: {
      hero: {
        selector: '#hero',
        variants: [
          { id: 'ride', label: 'Ride story', action: { type: 'text', text: 'Ride' } },
          { id: 'climb', label: 'Climb story', action: { type: 'text', text: 'Climb' } },
        ],
      },
      news: {
        selector: '#news',
        variants: [
          { id: 'short', when: { device: 'mobile' }, action: { type: 'text', text: 'Join' } },
        ],
      },
    },
    experiments: [
      {
        id: 'hero-test',
        label: 'Hero story for cyclists',
        slot: 'hero',
        status: 'running',
        audience: { 'prefs.interests': 'cycling' },
        exclude: { country: 'FR' },
        arms: [
          { id: 'ride', weight: 1, variant: 'ride' },
          { id: 'climb', weight: 1, variant: 'climb' },
        ],
        goals: [
          { id: 'story', type: 'click', primary: true },
          { id: 'newsletter', type: 'page', path: '/newsletter' },
        ],
      },
      {
        id: 'news-test',
        label: 'Newsletter wording',
        slot: 'news',
        status: 'running',
        unit: 'pageview',
        arms: [
          { id: 'rules', weight: 1, rules: true },
          { id: 'origin', weight: 1, default: true },
        ],
        goals: [{ id: 'join', type: 'click', primary: true }],
      },
    ],
    holdout: {
      percent: 10,
      fallback: 'pageview',
      goals: [{ id: 'newsletter', type: 'page', path: '/newsletter' }],
    },
    ...patch,
  }
}

/** Compile a config or throw its issues. */
export function compiled(config: Record<string, unknown> = betConfig()): CompiledConfig {
  const result = compileConfig(config)
  if (!result.ok) {
    throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'))
  }
  return result.compiled
}

/** Facts of a cyclist in Germany on `path`. */
export function cyclist(path = '/'): Facts {
  return {
    country: 'DE',
    utm: {},
    path,
    returning: false,
    gpc: false,
    prefs: { interests: ['cycling'] },
  }
}
