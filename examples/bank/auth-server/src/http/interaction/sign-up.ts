import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { openAccount } from '../../accounts/open-account.js';
import { wrongStep } from '../../accounts/refusals.js';
import { amrFor } from '../../accounts/sign-in-with-passkey.js';
import { takeChallenge } from '../../webauthn/challenges.js';
import { registrationOptions } from '../../webauthn/registration.js';
import { RegistrationResponse, SignUpRequest } from '../../webauthn/schemas.js';
import { rememberChallenge } from '../common/ceremony.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { finishLogin, loginInteraction } from './login.js';

const Pending = z.object({ name: z.string(), userHandle: z.string() });

/** `POST /interaction/:uid/signup/options`: options for `navigator.credentials.create()` for a new customer. */
export function signUpOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { name } = parseBody(req, SignUpRequest, 'Please tell us your name (letters, digits and spaces).');
    const { details, approval } = await loginInteraction(app, req, res);
    if (approval !== undefined) throw wrongStep();
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
 * `POST /interaction/:uid/signup/verify`: opens the account with the new passkey when it reaches the
 * level the request needs ({@link openAccount}: one transaction, so a refused passkey opens nothing)
 * and finishes the login.
 */
export function signUpVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, RegistrationResponse, 'This passkey response is malformed.');
    const { details, required, approval } = await loginInteraction(app, req, res);
    if (approval !== undefined) throw wrongStep();
    const now = app.now();
    const pending = await takeChallenge(app.db, details.uid, 'signup', now);
    const data = Pending.parse(pending.data);
    const opened = await openAccount({
      db: app.db,
      rp: app.rp,
      classifier: app.classifier,
      response,
      expectedChallenge: pending.challenge,
      name: data.name,
      userHandle: data.userHandle,
      required,
      now,
    });
    app.logger.info('account.created', { account: opened.account.id, class: opened.credential.class });
    await finishLogin(app, req, res, {
      uid: details.uid,
      accountId: opened.account.id,
      acr: opened.acr,
      amr: amrFor(opened.credential),
      credentialId: opened.credential.id,
      otpFactorId: undefined,
      approval: undefined,
    });
  });
}
