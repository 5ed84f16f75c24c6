import type { RequestHandler } from 'express';
import { verifyNewCredential } from '../../accounts/register.js';
import { accounts } from '../../accounts/store.js';
import { AuthServerError } from '../../errors.js';
import { takeChallenge } from '../../webauthn/challenges.js';
import { registrationOptions } from '../../webauthn/registration.js';
import { AddCredentialRequest } from '../../webauthn/schemas.js';
import { rememberChallenge } from '../ceremony.js';
import type { AppContext } from '../context.js';
import { parseBody, route } from '../json.js';
import { requireRecentSession } from './session.js';

/** `POST /account/credentials/options`: registration options for one more authenticator (direct attestation). */
export function addCredentialOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { session, account } = await requireRecentSession(app, req);
    const options = await registrationOptions({
      rp: app.rp,
      userHandle: Buffer.from(account.userHandle, 'base64url'),
      userName: account.name,
      displayName: account.name,
      exclude: await accounts.credentialsOf(app.db, account.id),
      timeoutMs: app.challengeTtlMs,
    });
    await rememberChallenge(app, {
      key: session.id,
      purpose: 'add-credential',
      challenge: options.challenge,
    });
    res.json(options);
  });
}

/** `POST /account/credentials/verify`: verifies, classifies (refused classes are not stored) and stores it. */
export function addCredentialVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const body = parseBody(req, AddCredentialRequest, 'This passkey response is malformed.');
    const { session, account } = await requireRecentSession(app, req);
    const now = app.now();
    const pending = await takeChallenge(app.db, session.id, 'add-credential', now);
    const fresh = await app.db.transaction(async (tx) => {
      const verified = await verifyNewCredential({
        db: tx,
        rp: app.rp,
        classifier: app.classifier,
        response: body.credential,
        expectedChallenge: pending.challenge,
        nickname: body.nickname,
        now,
      });
      await accounts.insertCredential(tx, { ...verified.credential, accountId: account.id });
      return verified;
    });
    app.logger.info('credential.added', { account: account.id, class: fresh.credential.class });
    res.json({ id: fresh.credential.id, class: fresh.credential.class, acr: fresh.acr });
  });
}

/** `POST /account/credentials/:id/delete`: removes one of the customer's authenticators, never the last. */
export function removeCredential(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { account } = await requireRecentSession(app, req);
    const all = await accounts.credentialsOf(app.db, account.id);
    const target = all.find((c) => c.id === req.params.id);
    if (!target) throw new AuthServerError('ERR_NOT_FOUND', 'This passkey is not on your account.');
    if (all.length === 1) {
      throw new AuthServerError(
        'ERR_LAST_CREDENTIAL',
        'You cannot remove your only passkey: add another one first.',
      );
    }
    await accounts.deleteCredential(app.db, account.id, target.id);
    app.logger.info('credential.removed', { account: account.id, credential: target.id });
    res.json({ removed: target.id });
  });
}
