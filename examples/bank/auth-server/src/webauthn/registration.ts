import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { AuthServerError } from '../errors.js';
import type { RegistrationInfo } from './classifier.js';
import type { RelyingParty } from './rp.js';
import type { RegistrationResponse } from './schemas.js';

/** COSE algorithms the bank accepts: ES256, EdDSA, RS256. */
export const SUPPORTED_ALGORITHMS = [-7, -8, -257];

/**
 * Options for `navigator.credentials.create()`: a discoverable credential (resident key) with user
 * verification required, and direct attestation so that the authenticator model can be checked
 * against the FIDO metadata. Credentials the account already has are excluded.
 */
export function registrationOptions(input: {
  rp: RelyingParty;
  userHandle: Uint8Array<ArrayBuffer>;
  userName: string;
  displayName: string;
  exclude: readonly { id: string; transports: string[] }[];
  timeoutMs: number;
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.id,
    userID: input.userHandle,
    userName: input.userName,
    userDisplayName: input.displayName,
    attestationType: 'direct',
    timeout: input.timeoutMs,
    excludeCredentials: input.exclude.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
}

/**
 * Verifies a registration response (challenge, origin, RP ID, user presence and verification,
 * attestation statement) with `@simplewebauthn/server`. Does NOT decide trust in the authenticator
 * model: that is the classifier's job.
 */
export async function verifyRegistration(input: {
  rp: RelyingParty;
  response: RegistrationResponse;
  expectedChallenge: string;
}): Promise<RegistrationInfo> {
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch (cause) {
    throw new AuthServerError(
      'ERR_WEBAUTHN_INVALID',
      'We could not verify your new passkey. Please try again.',
      {
        cause,
      },
    );
  }
  if (!result.verified || result.registrationInfo === undefined) {
    throw new AuthServerError(
      'ERR_WEBAUTHN_INVALID',
      'We could not verify your new passkey. Please try again.',
    );
  }
  return result.registrationInfo;
}
