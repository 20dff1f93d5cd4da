// TAILOR_SECRET parsing: valid forms, rotation order, caching, and exact messages for each mistake.
import { describe, expect, it } from 'vitest'
import { loadKeyring } from './keys'
import { signToken, verifyToken } from './token'

const A = 'secret-aaaaaaaaaaaaaaaa'
const B = 'secret-bbbbbbbbbbbbbbbb'

describe('loadKeyring: valid', () => {
  it('signs with the first key and verifies with every key', async () => {
    const loaded = await loadKeyring(`k2:${A},k1:${B}`)
    if (!loaded.ok) {
      throw new Error(loaded.message)
    }
    expect(loaded.keyring.signer.kid).toBe('k2')
    expect([...loaded.keyring.verifiers.keys()]).toEqual(['k2', 'k1'])
    expect(loaded.keyring.signer.key).toBe(loaded.keyring.verifiers.get('k2'))
    expect(loaded.keyring.signer.key.algorithm).toMatchObject({ name: 'HMAC' })
    expect(loaded.keyring.signer.key.extractable).toBe(false)
  })

  it.each([
    ['a bare secret has key id "0"', A, ['0']],
    [
      'whitespace around entries and the colon is ignored',
      `  k2 : ${A} ,\tk1:${B}  `,
      ['k2', 'k1'],
    ],
    ['a bare secret may follow kid:secret entries', `k1:${A},${B}`, ['k1', '0']],
    ['key ids use A-Z a-z 0-9 _ -, up to 16', `Ab_9-Ab_9-Ab_9-X:${A}`, ['Ab_9-Ab_9-Ab_9-X']],
    ['the secret may itself hold a colon', `k1:${A}:more`, ['k1']],
    ['a secret of exactly 16 characters', 'k1:0123456789abcdef', ['k1']],
  ])('%s', async (_, secret, kids) => {
    const loaded = await loadKeyring(secret)
    expect(loaded.ok && [...loaded.keyring.verifiers.keys()]).toEqual(kids)
  })

  it('keeps the secret after the first colon whole', async () => {
    const one = await loadKeyring(`k1:${A}:more`)
    const other = await loadKeyring(`k1:${A}`)
    if (!one.ok || !other.ok) {
      throw new Error('expected keyrings')
    }
    const now = Date.UTC(2026, 0, 1)
    const token = await signToken(1, {
      purpose: 'visitor',
      keyring: one.keyring,
      now,
      ttlSeconds: 60,
    })
    expect(await verifyToken(token, { purpose: 'visitor', keyring: other.keyring, now })).toEqual({
      ok: false,
      reason: 'bad-signature',
    })
  })

  it('is cached per secret string: the same keyring, no new import', async () => {
    const secret = `cache:${A}`
    const first = await loadKeyring(secret)
    const second = await loadKeyring(secret)
    expect(second).toBe(first)
    expect(await loadKeyring(`cache:${B}`)).not.toBe(first)
  })

  it('concurrent first calls share one import', async () => {
    const secret = `race:${A}`
    const [one, two] = await Promise.all([loadKeyring(secret), loadKeyring(secret)])
    expect(two).toBe(one)
  })

  it('keeps working after many distinct secrets (the cache is bounded)', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await loadKeyring(`k${i}:${A}`)).ok).toBe(true)
    }
    expect((await loadKeyring(`k0:${A}`)).ok).toBe(true)
  })
})

describe('loadKeyring: invalid, with exact messages', () => {
  it.each([
    [
      undefined,
      'TAILOR_SECRET: Expected one or more "kid:secret" entries, comma-separated. Got nothing.',
    ],
    ['', 'TAILOR_SECRET: Expected one or more "kid:secret" entries, comma-separated. Got nothing.'],
    [
      ' \t ',
      'TAILOR_SECRET: Expected one or more "kid:secret" entries, comma-separated. Got nothing.',
    ],
    [
      'k1:hunte',
      'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 5 characters.',
    ],
    [
      `k2:${A},k1:hunte`,
      'TAILOR_SECRET: key 2: Expected a secret of at least 16 characters. Got 5 characters.',
    ],
    ['k1:x', 'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 1 character.'],
    ['k1:', 'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 0 characters.'],
    [
      'hunte',
      'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 5 characters.',
    ],
    // Characters, not bytes: 15 "é" are 30 bytes of UTF-8 and still too short.
    [
      `k1:${'é'.repeat(15)}`,
      'TAILOR_SECRET: key 1: Expected a secret of at least 16 characters. Got 15 characters.',
    ],
    [`k1:${A},`, 'TAILOR_SECRET: key 2: Expected "kid:secret" or a secret. Got an empty entry.'],
    [
      `k1:${A},,k2:${B}`,
      'TAILOR_SECRET: key 2: Expected "kid:secret" or a secret. Got an empty entry.',
    ],
    [
      `:${A}`,
      'TAILOR_SECRET: key 1: Expected a key id of 1 to 16 characters from A-Z, a-z, 0-9, "_" and "-". Got 0 characters.',
    ],
    [
      `abcdefghijklmnopq:${A}`,
      'TAILOR_SECRET: key 1: Expected a key id of 1 to 16 characters from A-Z, a-z, 0-9, "_" and "-". Got 17 characters.',
    ],
    [
      `k 1:${A}`,
      'TAILOR_SECRET: key 1: Expected a key id of 1 to 16 characters from A-Z, a-z, 0-9, "_" and "-". Got a character outside that set.',
    ],
    [
      `k2:${A},k.1:${B}`,
      'TAILOR_SECRET: key 2: Expected a key id of 1 to 16 characters from A-Z, a-z, 0-9, "_" and "-". Got a character outside that set.',
    ],
    [
      `k1:${A},k1:${B}`,
      'TAILOR_SECRET: key 2: Expected a key id not used before. Got "k1", already key 1.',
    ],
    [
      `${A},k2:${B},0:${B}`,
      'TAILOR_SECRET: key 3: Expected a key id not used before. Got "0", already key 1.',
    ],
  ])('%j', async (secret, message) => {
    expect(await loadKeyring(secret)).toEqual({ ok: false, message })
  })

  it('never echoes a secret, even half of one pasted with a colon in it', async () => {
    const pasted = 'Zm9v YmFy:c2VjcmV0LXNlY3JldC1zZWNyZXQ='
    const loaded = await loadKeyring(pasted)
    expect(loaded.ok).toBe(false)
    const message = loaded.ok ? '' : loaded.message
    expect(message).not.toContain('Zm9v')
    expect(message).not.toContain('c2Vj')
    const short = await loadKeyring('k1:hunter2')
    expect(short.ok ? '' : short.message).not.toContain('hunter2')
  })
})
