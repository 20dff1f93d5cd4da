// Click goals: a short-lived signed token per page view in the `ping` URL of the block's links.
import type { CompiledExperiment } from '../config'
import type { Keyring } from '../visitor'
import { decodeBase64url, encodeBase64url, signToken, verifyToken } from '../visitor'
import { cellLabel, contextByOf } from './cells'
import type { Increment } from './count'
import { goalMetric } from './count'

/** The token purpose of click pings: no other token (the cookie, a preview link) reads as one. */
export const PING_PURPOSE = 'ping'

/** The first-party endpoint the `ping` attribute points at; the token follows the last "/". */
export const PING_PATH = '/_tailor/ping/'

/** How long a page's pings stay valid: a click an hour after the page loaded still counts. */
export const PING_TTL_SECONDS = 3600

/**
 * What a ping token carries: experiment, phase, arm, goal index, a nonce for this page view, and
 * for a contextual bandit the cell index the page view counted in (1 to 24, shared by everyone in
 * that coarse context: a phone in the evening, never a visitor).
 */
type PingClaim = { e: string; p: number; a: number; g: number; n: string; c?: number }

/**
 * A fresh nonce: 96 random bits, new for every page view's token. It names one page view's
 * ping, never a visitor: the next page view of the same visitor gets an unrelated one.
 */
export function pingNonce(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(12)))
}

/**
 * The token for one click goal of one page view. `cell`: a contextual bandit's cell index (the
 * click then counts in the page view's cell, whatever the context of the ping request).
 * @example await signPing({ experiment: 'hero-test', phase: 1, arm: 0, goal: 0 }, keyring, Date.now())
 */
export async function signPing(
  at: { experiment: string; phase: number; arm: number; goal: number; cell?: number },
  keyring: Keyring,
  now: number,
  nonce: string = pingNonce()
): Promise<string> {
  const claim: PingClaim = { e: at.experiment, p: at.phase, a: at.arm, g: at.goal, n: nonce }
  if (at.cell) {
    claim.c = at.cell
  }
  return signToken(claim, { purpose: PING_PURPOSE, keyring, now, ttlSeconds: PING_TTL_SECONDS })
}

const NONCE = /^[A-Za-z0-9_-]{16}$/

/**
 * The increment a ping token stands for, or undefined when the token is forged, expired, of
 * another purpose, or names an experiment that no longer runs in that phase, an arm or a goal it
 * lacks, or a goal that is not a click. The nonce rides along: the store counts it once.
 * @example await readPing(token, compiled.experiments, keyring, Date.now())
 * // { experiment: 'hero-test', phase: 1, arm: 0, metric: 'goal:story-click', nonce: 'q3…' }
 */
export async function readPing(
  token: string,
  experiments: readonly CompiledExperiment[],
  keyring: Keyring,
  now: number
): Promise<Increment | undefined> {
  const verified = await verifyToken(token, { purpose: PING_PURPOSE, keyring, now, maxLength: 600 })
  if (!verified.ok) {
    return undefined
  }
  const d = verified.data as Partial<PingClaim> | null
  if (typeof d !== 'object' || d === null || typeof d.n !== 'string' || !NONCE.test(d.n)) {
    return undefined
  }
  const exp = experiments.find((e) => e.id === d.e)
  const goal = exp && typeof d.g === 'number' ? exp.goals[d.g] : undefined
  if (
    !exp ||
    !goal ||
    goal.type !== 'click' ||
    exp.status !== 'running' ||
    exp.phase !== d.p ||
    typeof d.a !== 'number' ||
    !Number.isInteger(d.a) ||
    d.a < 0 ||
    d.a >= exp.arms.length ||
    !decodeBase64url(d.n)
  ) {
    return undefined
  }
  // The page view's cell; "" when it had none or the experiment's contextBy changed since.
  const cell = cellLabel(contextByOf(exp), d.c)
  return {
    experiment: exp.id,
    phase: exp.phase,
    arm: d.a,
    metric: goalMetric(goal.id),
    ...(cell ? { cell } : {}),
    nonce: d.n,
    nonceDay: Math.floor(verified.exp / 86_400),
  }
}
