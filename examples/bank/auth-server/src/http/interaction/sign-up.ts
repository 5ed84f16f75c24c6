import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { verifyNewCredential } from '../../accounts/register.js';
import { amrFor } from '../../accounts/sign-in-with-passkey.js';
import { accounts } from '../../accounts/store.js';
import { acrSatisfies } from '../../assurance.js';
import { takeChallenge } from '../../webauthn/challenges.js';
import { registrationOptions } from '../../webauthn/registration.js';
import { RegistrationResponse, SignUpRequest } from '../../webauthn/schemas.js';
import type { AppContext } from '../context.js';
import { rememberChallenge } from '../shared/ceremony.js';
import { parseBody, route } from '../shared/json.js';
import { finishLogin, loginInteraction, tooWeak } from './login.js';

const Pending = z.object({ name: z.string(), userHandle: z.string() });

/** `POST /interaction/:uid/signup/options`: options for `navigator.credentials.create()` for a new customer. */
export function signUpOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { name } = parseBody(req, SignUpRequest, 'Please tell us your name (letters, digits and spaces).');
    const { details } = await loginInteraction(app, req, res);
    const userHandle = randomBytes(16);
    const options = await registrationOptions({
      rp: app.rp,
      userHandle,
      userName: name,
      displayName: name,
      exclude: [],
      timeoutMs: app.challengeTtlMs,
    });
    await rememberChallenge(app, {
      key: details.uid,
      purpose: 'signup',
      challenge: options.challenge,
      data: { name, userHandle: userHandle.toString('base64url') },
    });
    res.json(options);
  });
}

/**
 * `POST /interaction/:uid/signup/verify`: verifies and classifies the new passkey, opens the account
 * (refused classes open nothing), and finishes the login when the passkey reaches the level.
 */
export function signUpVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, RegistrationResponse, 'This passkey response is malformed.');
    const { details, required } = await loginInteraction(app, req, res);
    const now = app.now();
    const pending = await takeChallenge(app.db, details.uid, 'signup', now);
    const data = Pending.parse(pending.data);
    const created = await app.db.transaction(async (tx) => {
      const fresh = await verifyNewCredential({
        db: tx,
        rp: app.rp,
        classifier: app.classifier,
        response,
        expectedChallenge: pending.challenge,
        nickname: undefined,
        now,
      });
      const accountId = randomUUID();
      await accounts.insert(tx, {
        id: accountId,
        userHandle: data.userHandle,
        name: data.name,
        createdAt: now,
      });
      await accounts.insertCredential(tx, { ...fresh.credential, accountId });
      return { accountId, ...fresh };
    });
    app.logger.info('account.created', { account: created.accountId, class: created.credential.class });
    if (required === undefined || !acrSatisfies(created.acr, required)) throw tooWeak(required);
    await finishLogin(app, req, res, {
      accountId: created.accountId,
      acr: created.acr,
      amr: amrFor(created.credential),
    });
  });
}
