// The server side of a WebAuthn ceremony, shared by the sign-in page, the sign-up page and the
// security settings: a challenge stored under a key (an interaction uid, a ceremony cookie, an account
// session) for the configured time, and the sign-in that answers it.
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { type SignIn, signInWithPasskey } from '../../accounts/sign-in-with-passkey.js';
import type { StoredCredential } from '../../accounts/store.js';
import { AuthServerError } from '../../errors.js';
import { authenticationOptions } from '../../webauthn/authentication.js';
import {
  type ChallengePurpose,
  type PendingChallenge,
  putChallenge,
  takeChallenge,
} from '../../webauthn/challenges.js';
import type { AuthenticationResponse } from '../../webauthn/schemas.js';
import type { AppContext } from '../context.js';

/** Stores `challenge` under `key` for `purpose`, answerable for `challengeTtlMs` from now. */
export function rememberChallenge(
  app: AppContext,
  input: { key: string; purpose: ChallengePurpose; challenge: string; data?: Record<string, unknown> },
): Promise<void> {
  return putChallenge(app.db, {
    key: input.key,
    purpose: input.purpose,
    challenge: input.challenge,
    data: input.data ?? {},
    expiresAt: app.now() + app.challengeTtlMs,
  });
}

/**
 * Options for a passkey sign-in, their challenge stored under `key`: only `allow` may answer, or any
 * discoverable passkey of the relying party when it is `undefined`. Does not decide who may sign in.
 */
export async function startSignIn(
  app: AppContext,
  key: string,
  allow: readonly StoredCredential[] | undefined,
  derived?: { challenge: Uint8Array<ArrayBuffer>; data: Record<string, unknown> },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await authenticationOptions({
    rp: app.rp,
    allow,
    timeoutMs: app.challengeTtlMs,
    ...(derived === undefined ? {} : { challenge: derived.challenge }),
  });
  await rememberChallenge(app, {
    key,
    purpose: 'signin',
    challenge: options.challenge,
    ...(derived === undefined ? {} : { data: derived.data }),
  });
  return options;
}

/**
 * Takes the sign-in challenge stored under `key` (at most once) and verifies `response` against it —
 * or, with `expected`, against the challenge it derives from what was stored (an approval's challenge,
 * recomputed from the details the server holds; it must also be the one the options carried).
 * Does NOT check that the level is enough: callers compare the returned `acr`.
 * @throws AuthServerError from {@link takeChallenge} and {@link signInWithPasskey}.
 */
export async function finishSignIn(
  app: AppContext,
  key: string,
  response: AuthenticationResponse,
  expected?: (pending: PendingChallenge) => string,
): Promise<SignIn> {
  const pending = await takeChallenge(app.db, key, 'signin', app.now());
  const challenge = expected === undefined ? pending.challenge : expected(pending);
  if (challenge !== pending.challenge) {
    throw new AuthServerError('ERR_WEBAUTHN_INVALID', 'We could not verify this sign-in. Please try again.');
  }
  return signInWithPasskey({
    db: app.db,
    rp: app.rp,
    response,
    expectedChallenge: challenge,
    now: app.now(),
  });
}
