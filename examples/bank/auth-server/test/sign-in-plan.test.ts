// The next factor of a sign-in (src/accounts/sign-in-plan.ts), by table: what the customer has, what
// the session and this interaction proved, and what the request needs.
import { describe, expect, it } from 'vitest';
import { nextSignInStep, type SignInFacts } from '../src/accounts/sign-in-plan.js';
import type { StoredCredential } from '../src/accounts/store.js';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { StoredOtp } from '../src/otp/store.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const credential = (id: string, cls: 'high' | 'medium', activeAt = 0) =>
  ({ id, class: cls, activeAt }) as unknown as StoredCredential;
const synced = credential('synced', 'medium');
const key = credential('key', 'high');
const pendingKey = credential('new-key', 'high', NOW + 1000);
const app = { activeAt: NOW - 1 } as StoredOtp;
const pendingApp = { activeAt: NOW + 1000 } as StoredOtp;
const STANDARD_SESSION = { acr: ACR_STANDARD, amr: ['mfa', 'swk'] } as const;
const HIGH_SESSION = { acr: ACR_HIGH, amr: ['mfa', 'hwk'] } as const;

function step(facts: Partial<SignInFacts> & { credentials?: StoredCredential[]; otp?: StoredOtp }) {
  const { credentials, otp, ...rest } = facts;
  const result = nextSignInStep({
    required: ACR_ELEVATED,
    bound: false,
    now: NOW,
    proven: { code: false },
    ...(credentials === undefined ? {} : { account: { credentials, otp } }),
    ...rest,
  });
  return result.kind === 'passkey'
    ? { kind: 'passkey', allow: result.allow?.map((c) => c.id), reaches: result.reaches }
    : result;
}

describe('the next factor for the elevated level', () => {
  it.each([
    ['no customer yet', {}, { kind: 'passkey', allow: undefined, reaches: ACR_ELEVATED }],
    [
      'a standard session with an app: only the code',
      { credentials: [synced], otp: app, session: STANDARD_SESSION },
      { kind: 'code' },
    ],
    [
      'the code proven on a standard session: done',
      { credentials: [synced], otp: app, session: STANDARD_SESSION, proven: { code: true } },
      { kind: 'done', acr: ACR_ELEVATED, amr: ['mfa', 'swk', 'otp'] },
    ],
    [
      'a stale high session and a code: elevated, not high',
      { credentials: [key], otp: app, session: HIGH_SESSION, proven: { code: true } },
      { kind: 'done', acr: ACR_ELEVATED, amr: ['mfa', 'hwk', 'otp'] },
    ],
    [
      'no app, a key: the key alone',
      { credentials: [synced, key], session: STANDARD_SESSION },
      { kind: 'passkey', allow: ['key'], reaches: ACR_HIGH },
    ],
    [
      'a key proven: done at high',
      { credentials: [synced, key], proven: { passkey: HIGH_SESSION, code: false } },
      { kind: 'done', acr: ACR_HIGH, amr: ['mfa', 'hwk'] },
    ],
    [
      'no app, no key',
      { credentials: [synced], session: STANDARD_SESSION },
      { kind: 'blocked', reason: 'no-code', otp: undefined },
    ],
    [
      'an app still pending, a pending key',
      { credentials: [synced, pendingKey], otp: pendingApp, session: STANDARD_SESSION },
      { kind: 'blocked', reason: 'no-code', otp: pendingApp },
    ],
    [
      'an approval: a fresh passkey first, whatever the session',
      { credentials: [synced, key], otp: app, session: HIGH_SESSION, bound: true },
      { kind: 'passkey', allow: ['synced', 'key'], reaches: ACR_ELEVATED },
    ],
    [
      'an approval: the code after its passkey',
      { credentials: [synced], otp: app, bound: true, proven: { passkey: STANDARD_SESSION, code: false } },
      { kind: 'code' },
    ],
    [
      'an approval never counts a code without its passkey',
      { credentials: [synced], otp: app, bound: true, session: STANDARD_SESSION, proven: { code: true } },
      { kind: 'passkey', allow: ['synced'], reaches: ACR_ELEVATED },
    ],
  ] as const)('%s', (_, facts, expected) => {
    expect(step(facts as never)).toEqual(expected);
  });
});

describe('the next factor for the standard and high levels', () => {
  it('asks a passkey that reaches the level, and something fresh even when the session has it', () => {
    expect(step({ required: ACR_STANDARD, credentials: [synced], session: STANDARD_SESSION })).toEqual({
      kind: 'passkey',
      allow: ['synced'],
      reaches: ACR_STANDARD,
    });
    expect(step({ required: ACR_HIGH, credentials: [synced, key], session: HIGH_SESSION })).toEqual({
      kind: 'passkey',
      allow: ['key'],
      reaches: ACR_HIGH,
    });
    // A code never reaches high, and a pending key is not a key yet.
    expect(
      step({ required: ACR_HIGH, credentials: [synced, pendingKey], otp: app, session: STANDARD_SESSION }),
    ).toMatchObject({
      kind: 'blocked',
      reason: 'no-credential',
      high: { kind: 'pending' },
    });
    expect(step({ required: undefined, credentials: [key] })).toEqual({
      kind: 'blocked',
      reason: 'unknown-level',
    });
  });
});
