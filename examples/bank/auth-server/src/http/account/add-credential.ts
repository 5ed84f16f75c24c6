import type { RequestHandler } from 'express';
import { addCredential } from '../../accounts/add-credential.js';
import { credentialAcr } from '../../accounts/credential-level.js';
import { mayChangeCredentials } from '../../accounts/credential-rules.js';
import { stepUpRequired } from '../../accounts/refusals.js';
import { accounts } from '../../accounts/store.js';
import { otpFactors } from '../../otp/store.js';
import { takeChallenge } from '../../webauthn/challenges.js';
import { registrationOptions } from '../../webauthn/registration.js';
import { AddCredentialRequest } from '../../webauthn/schemas.js';
import { rememberChallenge } from '../common/ceremony.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { requireRecentSession } from './recent-session.js';

/**
 * `POST /account/credentials/options`: registration options for one more authenticator (direct
 * attestation), for a recent session at the level the account holds (else 403 `step_up_required`,
 * before any ceremony; checked again at verify).
 */
export function addCredentialOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { session, account, acr } = await requireRecentSession(app, req);
    const existing = await accounts.credentialsOf(app.db, account.id);
    const otp = await otpFactors.of(app.db, account.id);
    const rule = mayChangeCredentials({ credentials: existing, otp, sessionAcr: acr, now: app.now() });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    const options = await registrationOptions({
      rp: app.rp,
      userHandle: Buffer.from(account.userHandle, 'base64url'),
      userName: account.name,
      displayName: account.name,
      exclude: existing,
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

/**
 * `POST /account/credentials/verify`: verifies, classifies (refused classes are not stored) and stores
 * it ({@link addCredential}). Answers its class, the level it reaches now and when it becomes active.
 */
export function addCredentialVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const body = parseBody(req, AddCredentialRequest, 'This passkey response is malformed.');
    const { session, account, acr } = await requireRecentSession(app, req);
    const now = app.now();
    const pending = await takeChallenge(app.db, session.id, 'add-credential', now);
    const credential = await addCredential({
      db: app.db,
      rp: app.rp,
      classifier: app.classifier,
      accountId: account.id,
      sessionAcr: acr,
      response: body.credential,
      expectedChallenge: pending.challenge,
      nickname: body.nickname,
      now,
      coolingOffMs: app.keyCoolingOffMs,
    });
    app.logger.info('credential.added', {
      account: account.id,
      credential: credential.id,
      class: credential.class,
      sessionAcr: acr,
      activeAt: new Date(credential.activeAt).toISOString(),
    });
    res.json({
      id: credential.id,
      class: credential.class,
      acr: credentialAcr(credential, now) ?? null,
      activeAt: new Date(credential.activeAt).toISOString(),
    });
  });
}
