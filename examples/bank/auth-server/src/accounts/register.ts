import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';
import { ACR_HIGH, acrForClass, type BankAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { defaultLabel } from '../views/words.js';
import type { Classifier } from '../webauthn/classifier.js';
import { verifyRegistration } from '../webauthn/registration.js';
import type { RelyingParty } from '../webauthn/rp.js';
import type { RegistrationResponse } from '../webauthn/schemas.js';
import { accounts, type StoredCredential } from './store.js';

const Described = z.object({ description: z.string().min(1) });

function describedModel(evidence: unknown): string | undefined {
  const direct = Described.safeParse(evidence);
  if (direct.success) return direct.data.description;
  const nested = z.object({ metadata: Described }).safeParse(evidence);
  return nested.success ? nested.data.metadata.description : undefined;
}

/** What a verified registration says of the credential; the caller decides the account and when it becomes active. */
export type VerifiedCredential = Omit<
  StoredCredential,
  'accountId' | 'activeAt' | 'addedByAcr' | 'previousClass' | 'reclassifiedAt'
>;

/** A verified and classified new credential, not stored yet. */
export interface NewCredential {
  credential: VerifiedCredential;
  /** The level its class reaches (before any cooling-off period). */
  acr: BankAcr;
}

/**
 * Verifies a registration response, classifies the authenticator, and refuses the classes that may
 * not register (`rejected`, `low`). Returns the credential to store; does not store it.
 */
export async function verifyNewCredential(input: {
  db: Queryable;
  rp: RelyingParty;
  classifier: Classifier;
  response: RegistrationResponse;
  expectedChallenge: string;
  nickname: string | undefined;
  now: number;
}): Promise<NewCredential> {
  const info = await verifyRegistration({
    rp: input.rp,
    response: input.response,
    expectedChallenge: input.expectedChallenge,
  });
  const classification = await input.classifier.classify(info);
  const acr = acrForClass(classification.class);
  if (acr === undefined) {
    throw new AuthServerError(
      'ERR_AUTHENTICATOR_REFUSED',
      classification.class === 'low'
        ? 'This authenticator does not check your PIN or fingerprint, so it cannot be used with Stepup Bank.'
        : 'This model of authenticator cannot be used with Stepup Bank: a security problem was reported for it.',
    );
  }
  if (await accounts.credential(input.db, info.credential.id)) {
    throw new AuthServerError('ERR_CREDENTIAL_EXISTS', 'This passkey is already registered.');
  }
  const backupEligible = info.credentialDeviceType === 'multiDevice';
  const label =
    input.nickname ||
    defaultLabel({
      backupEligible,
      high: acr === ACR_HIGH,
      description: describedModel(classification.evidence),
    });
  return {
    acr,
    credential: {
      id: info.credential.id,
      publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      backupEligible,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      fmt: info.fmt,
      class: classification.class,
      reasons: classification.reasons,
      evidence: classification.evidence,
      label,
      createdAt: input.now,
      lastUsedAt: input.now,
    },
  };
}
