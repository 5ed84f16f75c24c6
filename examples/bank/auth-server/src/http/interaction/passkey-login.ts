import { randomBytes } from 'node:crypto';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { credentialAcr, isPending, otpActive } from '../../accounts/credential-level.js';
import { noSecondFactor, stillPending, tooWeak, wrongStep } from '../../accounts/refusals.js';
import type { Blocked } from '../../accounts/sign-in-plan.js';
import { accounts } from '../../accounts/store.js';
import { ACR_ELEVATED, ACR_HIGH, acrSatisfies, type BankAcr } from '../../assurance.js';
import { approvalChallenge } from '../../oidc/approval.js';
import { otpFactors } from '../../otp/store.js';
import { AuthenticationResponse } from '../../webauthn/schemas.js';
import { finishSignIn, startSignIn } from '../common/ceremony.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { finishLogin, loginInteraction, rememberFactors } from './login.js';

/** The refusal that says why a blocked sign-in cannot go on. */
export function blockedRefusal(blocked: Blocked, required: BankAcr | undefined) {
  if (blocked.reason === 'no-code') return noSecondFactor(blocked.otp);
  if (blocked.reason === 'no-credential' && required === ACR_HIGH && blocked.high?.kind === 'pending') {
    return stillPending(blocked.high.credential);
  }
  return tooWeak(required);
}

const Nonce = z.object({ nonce: z.string().min(16) });

/**
 * `POST /interaction/:uid/signin/options`: options for `navigator.credentials.get()` when the next
 * step is a passkey: only the credentials that can reach the level (for a customer already known),
 * otherwise any discoverable passkey. For a transfer's approval the challenge is derived from the
 * transfer ({@link approvalChallenge}, with a fresh nonce kept server-side).
 */
export function signInOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { details, required, approval, step } = await loginInteraction(app, req, res);
    if (step.kind === 'blocked') throw blockedRefusal(step, required);
    if (step.kind !== 'passkey') throw wrongStep();
    const nonce = randomBytes(24).toString('base64url');
    const derived =
      approval === undefined
        ? undefined
        : { challenge: approvalChallenge(details.uid, nonce, approval), data: { nonce } };
    res.json(await startSignIn(app, details.uid, step.allow, derived));
  });
}

/**
 * `POST /interaction/:uid/signin/verify`: verifies the assertion (for an approval, against the
 * challenge recomputed from the details the server holds, so what the key signed is the transfer the
 * page showed) and either finishes the login or asks for the next step (`{ next: 'code' }`). Refused
 * (403, whatever the page offered) when the credential is not one the step allows, or cannot reach the
 * level: a key rated high but still pending answers `credential_pending`.
 */
export function signInVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
    const { details, required, approval, step } = await loginInteraction(app, req, res);
    if (step.kind === 'blocked') throw blockedRefusal(step, required);
    if (step.kind !== 'passkey') throw wrongStep();
    const expected =
      approval === undefined
        ? undefined
        : (pending: { data: Record<string, unknown> }) =>
            isoBase64URL.fromBuffer(
              approvalChallenge(details.uid, Nonce.parse(pending.data).nonce, approval),
            );
    const signIn = await finishSignIn(app, details.uid, response, expected);
    const now = app.now();
    const allowed = step.allow === undefined || step.allow.some((c) => c.id === signIn.credential.id);
    const otp = await otpFactors.of(app.db, signIn.account.id);
    const withCode = step.reaches === ACR_ELEVATED && otpActive(otp, now);
    if (!allowed || required === undefined || !(acrSatisfies(signIn.acr, step.reaches) || withCode)) {
      if (signIn.credential.class === 'high' && isPending(signIn.credential, now))
        throw stillPending(signIn.credential);
      // No app to add a code: say so, unless a security key of the account would do on its own.
      const held = await accounts.credentialsOf(app.db, signIn.account.id);
      const keyReady = held.some((c) => credentialAcr(c, now) === ACR_HIGH);
      throw step.reaches === ACR_ELEVATED && allowed && !keyReady ? noSecondFactor(otp) : tooWeak(required);
    }
    const passkey = { acr: signIn.acr, amr: signIn.amr, credentialId: signIn.credential.id };
    await rememberFactors(app, details.uid, { accountId: signIn.account.id, passkey, code: false });
    const next = (await loginInteraction(app, req, res)).step;
    if (next.kind === 'code') {
      res.json({ next: 'code' });
      return;
    }
    if (next.kind !== 'done') throw next.kind === 'blocked' ? blockedRefusal(next, required) : wrongStep();
    await finishLogin(app, req, res, {
      uid: details.uid,
      accountId: signIn.account.id,
      acr: next.acr,
      amr: next.amr,
      credentialId: signIn.credential.id,
      otpFactorId: undefined,
      approval,
    });
  });
}
