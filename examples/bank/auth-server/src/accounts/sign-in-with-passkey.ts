import type { Db } from '@stepup-example/db';
import type { BankAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { verifyAssertion } from '../webauthn/authentication.js';
import type { RelyingParty } from '../webauthn/rp.js';
import type { AuthenticationResponse } from '../webauthn/schemas.js';
import { credentialAcr } from './credential-level.js';
import { type Account, accounts, type StoredCredential } from './store.js';

/** A verified passkey sign-in. */
export interface SignIn {
  account: Account;
  credential: StoredCredential;
  /** The level this credential reaches now (a pending key: the standard level). */
  acr: BankAcr;
  /** RFC 8176 methods: `mfa` (possession + user verification), `hwk` device-bound or `swk` synced. */
  amr: string[];
}

/** The RFC 8176 `amr` of a user-verified passkey sign-in. */
export function amrFor(credential: Pick<StoredCredential, 'backupEligible'>): string[] {
  return ['mfa', credential.backupEligible ? 'swk' : 'hwk'];
}

/**
 * Verifies an assertion against the stored credential it names and records the use (counter, backup
 * state, time). Refuses unknown credentials, a user handle that does not match the credential's
 * account, and credentials whose class no longer allows sign-in (re-classified as rejected). The level
 * is {@link credentialAcr}: a key still in its cooling-off period signs in at the standard level.
 * Does NOT decide whether the level is enough for a request: callers compare `acr`.
 */
export async function signInWithPasskey(input: {
  db: Db;
  rp: RelyingParty;
  response: AuthenticationResponse;
  expectedChallenge: string;
  now: number;
}): Promise<SignIn> {
  const { db, response } = input;
  const credential = await accounts.credential(db, response.id);
  const account = credential && (await accounts.byId(db, credential.accountId));
  if (!credential || !account) {
    throw new AuthServerError(
      'ERR_CREDENTIAL_UNKNOWN',
      'This passkey is not registered with Stepup Bank. Open an account first, or choose another passkey.',
    );
  }
  if (response.response.userHandle !== undefined && response.response.userHandle !== account.userHandle) {
    throw new AuthServerError('ERR_WEBAUTHN_INVALID', 'We could not verify this sign-in. Please try again.');
  }
  const verified = await verifyAssertion({
    rp: input.rp,
    response,
    expectedChallenge: input.expectedChallenge,
    credential,
  });
  await accounts.recordUse(db, credential.id, verified.newCounter, verified.backedUp, input.now);
  const acr = credentialAcr(credential, input.now);
  if (acr === undefined) {
    throw new AuthServerError(
      'ERR_CREDENTIAL_DISABLED',
      'This authenticator can no longer be used: a security problem was reported for its model. Please use another one.',
    );
  }
  return { account, credential, acr, amr: amrFor(credential) };
}
