import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { StoredCredential } from '../accounts/store.js';
import { AuthServerError } from '../errors.js';
import type { RelyingParty } from './rp.js';
import type { AuthenticationResponse } from './schemas.js';

/**
 * Options for `navigator.credentials.get()` with user verification required. With `allow` the
 * browser offers only those credentials; without, the user picks any discoverable passkey for the RP.
 */
export function authenticationOptions(input: {
  rp: RelyingParty;
  allow: readonly StoredCredential[] | undefined;
  timeoutMs: number;
  /** The challenge, when it is derived (a transfer's approval); default 32 random bytes. */
  challenge?: Uint8Array<ArrayBuffer>;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: input.rp.id,
    ...(input.challenge === undefined ? {} : { challenge: input.challenge }),
    userVerification: 'required',
    timeout: input.timeoutMs,
    ...(input.allow === undefined
      ? {}
      : { allowCredentials: input.allow.map((c) => ({ id: c.id, transports: c.transports as never[] })) }),
  });
}

/** What a verified assertion tells. */
export interface VerifiedAssertion {
  newCounter: number;
  backedUp: boolean;
}

/**
 * Verifies an assertion against the stored credential: challenge, origin, RP ID, user presence and
 * verification, signature; then the signature counter, which must move forward when either side is
 * non-zero. The counter is compared only after the signature is verified, so a forged response
 * cannot pass for a cloned authenticator (`ERR_COUNTER_REGRESSED` is a real alarm).
 */
export async function verifyAssertion(input: {
  rp: RelyingParty;
  response: AuthenticationResponse;
  expectedChallenge: string;
  credential: StoredCredential;
}): Promise<VerifiedAssertion> {
  const { credential } = input;
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: true,
      // Counter checked below, after the signature.
      credential: { id: credential.id, publicKey: isoBase64URL.toBuffer(credential.publicKey), counter: 0 },
    });
  } catch (cause) {
    throw new AuthServerError('ERR_WEBAUTHN_INVALID', 'We could not verify this sign-in. Please try again.', {
      cause,
    });
  }
  if (!result.verified) {
    throw new AuthServerError('ERR_WEBAUTHN_INVALID', 'We could not verify this sign-in. Please try again.');
  }
  const { newCounter, credentialBackedUp } = result.authenticationInfo;
  if ((newCounter > 0 || credential.counter > 0) && newCounter <= credential.counter) {
    throw new AuthServerError(
      'ERR_COUNTER_REGRESSED',
      'This security key reported an unexpected state and cannot be used to sign in. Please contact the bank.',
    );
  }
  return { newCounter, backedUp: credentialBackedUp };
}
