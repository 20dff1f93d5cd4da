// recordPageView, called directly: each reason to record nothing, and the cookie when it records.
import { describe, expect, it } from 'vitest'
import type { Config } from '../config'
import { compileConfig } from '../config'
import type { Keyring, VisitorRead } from '../visitor'
import { loadKeyring, readVisitor } from '../visitor'
import type { PageView } from './record'
import { recordPageView } from './record'

const NOW = Date.UTC(2026, 0, 1, 12)

function config(): Config {
  const result = compileConfig({
    version: 1,
    locales: ['en'],
    slots: {},
    signals: { rules: [{ path: '/cycling/', interest: 'cycling' }] },
  })
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues))
  }
  return result.compiled.config
}

async function keys(): Promise<Keyring> {
  const loaded = await loadKeyring('k1:record-test-secret-0123456789')
  if (!loaded.ok) {
    throw new Error(loaded.message)
  }
  return loaded.keyring
}

const VALID: VisitorRead = {
  status: 'valid',
  visitor: { prefs: {}, created: 1, consent: { signals: true, at: 1 } },
  kid: 'k1',
  issuedAt: 1,
}

describe('recordPageView', () => {
  it.each<[string, Partial<PageView>]>([
    ['no valid cookie (a page view never creates one)', { visitor: { status: 'absent' } }],
    ['an invalid cookie', { visitor: { status: 'invalid', reason: 'malformed' } }],
    ['consent does not allow recording', { consent: { record: false } }],
    ['a preview or a simulation shaped the page', { overridden: true }],
    ['no rule matches the path', { path: '/about/' }],
    ['no signing key', { keyring: undefined }],
  ])('records nothing: %s', async (_name, change) => {
    const view: PageView = {
      config: config(),
      visitor: VALID,
      consent: { record: true },
      keyring: await keys(),
      overridden: false,
      path: '/cycling/gravel',
      ...change,
    }
    expect(await recordPageView(view, NOW)).toBeUndefined()
  })

  it('records the path’s interest at the injected time, keeping the rest of the state', async () => {
    const keyring = await keys()
    const setCookie = await recordPageView(
      {
        config: config(),
        visitor: VALID,
        consent: { record: true },
        keyring,
        overridden: false,
        path: '/cycling/gravel',
      },
      NOW
    )
    expect(setCookie).toMatch(
      /^__Host-tailor=1\.k1\.[^;]+; Path=\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Lax$/
    )
    const pair = (setCookie ?? '').slice(0, (setCookie ?? '').indexOf(';'))
    const read = await readVisitor(pair, { name: '__Host-tailor', keyring, now: NOW })
    expect(read.status).toBe('valid')
    if (read.status === 'valid') {
      expect(read.visitor.consent).toEqual({ signals: true, at: 1 })
      expect(read.visitor.signals).toEqual({ cycling: [1, Math.floor(NOW / 86_400_000)] })
    }
  })
})
