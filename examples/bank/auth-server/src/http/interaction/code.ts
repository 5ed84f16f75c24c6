import type { RequestHandler } from 'express';
import { z } from 'zod';
import { wrongStep } from '../../accounts/refusals.js';
import { useCode } from '../../accounts/use-code.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { finishLogin, loginInteraction, rememberFactors } from './login.js';

/** A one-time code as typed: six digits (spaces around are dropped by the page). */
export const CodeRequest = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });

/**
 * `POST /interaction/:uid/code/verify`: when the next step is the one-time code, checks it
 * (`useCode`: active app, attempts left, the current code, never one used before) for the customer of
 * this interaction — the passkey used in it, or the session it started from — and finishes the login
 * at the level the factors reach together.
 */
export function codeVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { code } = parseBody(req, CodeRequest, 'Please type the 6 digits your authenticator app shows.');
    const { details, known, proven, approval, step } = await loginInteraction(app, req, res);
    if (step.kind !== 'code' || known === undefined) throw wrongStep();
    const otp = await useCode({
      db: app.db,
      box: app.secretBox,
      attempts: app.codeAttempts,
      accountId: known.id,
      code,
      now: app.now(),
    });
    await rememberFactors(app, details.uid, { accountId: known.id, passkey: proven?.passkey, code: true });
    const next = (await loginInteraction(app, req, res)).step;
    if (next.kind !== 'done') throw wrongStep();
    await finishLogin(app, req, res, {
      uid: details.uid,
      accountId: known.id,
      acr: next.acr,
      amr: next.amr,
      credentialId: proven?.passkey?.credentialId,
      otpFactorId: otp.id,
      approval,
    });
  });
}
