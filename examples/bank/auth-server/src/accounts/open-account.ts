import { randomUUID } from 'node:crypto';
import type { Db } from '@stepup-example/db';
import { acrSatisfies, type BankAcr } from '../assurance.js';
import type { Classifier } from '../webauthn/classifier.js';
import type { RelyingParty } from '../webauthn/rp.js';
import type { RegistrationResponse } from '../webauthn/schemas.js';
import { credentialEvents } from './events.js';
import { tooWeak } from './refusals.js';
import { verifyNewCredential } from './register.js';
import { type Account, accounts, type StoredCredential } from './store.js';

/**
 * Opens an account with its first passkey, in one transaction: verifies and classifies the passkey,
 * refuses it when it does not reach `required` (the level of the authorization request it is opened
 * in; `undefined` when the request asks only for levels the bank does not offer), and only then stores
 * the account and the credential. A refusal leaves nothing behind. The first credential is active at
 * once: opening the account is the ceremony that binds it (nothing to protect yet).
 *
 * @throws AuthServerError `ERR_CREDENTIAL_TOO_WEAK`, and those of {@link verifyNewCredential}.
 */
export async function openAccount(input: {
  db: Db;
  rp: RelyingParty;
  classifier: Classifier;
  response: RegistrationResponse;
  expectedChallenge: string;
  name: string;
  userHandle: string;
  required: BankAcr | undefined;
  now: number;
}): Promise<{ account: Account; credential: StoredCredential; acr: BankAcr }> {
  const { now } = input;
  return input.db.transaction(async (tx) => {
    const fresh = await verifyNewCredential({ ...input, db: tx, nickname: undefined });
    if (input.required === undefined || !acrSatisfies(fresh.acr, input.required))
      throw tooWeak(input.required);
    const account: Account = {
      id: randomUUID(),
      userHandle: input.userHandle,
      name: input.name,
      createdAt: now,
    };
    const credential: StoredCredential = {
      ...fresh.credential,
      accountId: account.id,
      activeAt: now,
      addedByAcr: null,
      previousClass: null,
      reclassifiedAt: null,
    };
    await accounts.insert(tx, account);
    await accounts.insertCredential(tx, credential);
    await credentialEvents.record(tx, {
      accountId: account.id,
      credentialId: credential.id,
      kind: 'added',
      label: credential.label,
      detail: { acr: null, class: credential.class, activeAt: now },
      at: now,
    });
    return { account, credential, acr: fresh.acr };
  });
}
