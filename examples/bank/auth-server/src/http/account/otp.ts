import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { addOtp, otpContext } from '../../accounts/add-otp.js';
import { combinedAcr } from '../../accounts/credential-level.js';
import { mayChangeCredentials } from '../../accounts/credential-rules.js';
import { stepUpRequired } from '../../accounts/refusals.js';
import { removeOtp } from '../../accounts/remove-otp.js';
import { accounts } from '../../accounts/store.js';
import { useCode } from '../../accounts/use-code.js';
import { AuthServerError } from '../../errors.js';
import { otpFactors } from '../../otp/store.js';
import { newTotpSecret, provisioningUri, qrCodeDataUrl } from '../../otp/totp.js';
import { takeChallenge } from '../../webauthn/challenges.js';
import { rememberChallenge } from '../common/ceremony.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { CodeRequest } from '../interaction/code.js';
import { requireRecentSession } from './recent-session.js';
import { raiseAccountSession } from './settings-session.js';

const Pending = z.object({ sealed: z.string(), id: z.string() });

/**
 * `POST /account/otp/options`: starts adding an authenticator app, for a recent session at the level
 * the account holds (else 403 `step_up_required`; checked again at verify). A new seed, kept sealed
 * with the pending enrolment of this session for the challenge time, and answered as the QR code
 * (`qr`, an SVG data URL), the `otpauth://` URI and the seed itself (base32, to type it in).
 */
export function addOtpOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { session, account, acr } = await requireRecentSession(app, req);
    if (await otpFactors.of(app.db, account.id)) {
      throw new AuthServerError(
        'ERR_OTP_EXISTS',
        'Your account already has an authenticator app: remove it first.',
      );
    }
    const credentials = await accounts.credentialsOf(app.db, account.id);
    const rule = mayChangeCredentials({ credentials, sessionAcr: acr, now: app.now() });
    if (rule.kind === 'step_up') throw stepUpRequired(rule.required);
    const secret = newTotpSecret();
    const id = randomUUID();
    await rememberChallenge(app, {
      key: session.id,
      purpose: 'otp-enrol',
      challenge: id,
      data: { id, sealed: app.secretBox.seal(secret, otpContext(account.id, `pending:${id}`)) },
    });
    const uri = provisioningUri(secret, account.name);
    res.json({ qr: await qrCodeDataUrl(uri), uri, secret });
  });
}

/**
 * `POST /account/otp/verify` `{ code }`: finishes adding the authenticator app once its first code
 * matches ({@link addOtp}: the rules again, the seed sealed at rest, pending after a session below the
 * elevated level). Answers when it becomes active.
 */
export function addOtpVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { code } = parseBody(req, CodeRequest, 'Please type the 6 digits your authenticator app shows.');
    const { session, account, acr } = await requireRecentSession(app, req);
    const now = app.now();
    const pending = Pending.parse((await takeChallenge(app.db, session.id, 'otp-enrol', now)).data);
    const secret = app.secretBox.open(pending.sealed, otpContext(account.id, `pending:${pending.id}`));
    const otp = await addOtp({
      db: app.db,
      box: app.secretBox,
      accountId: account.id,
      sessionAcr: acr,
      secret,
      code,
      now,
      coolingOffMs: app.keyCoolingOffMs,
    });
    app.logger.info('credential.added', {
      account: account.id,
      credential: otp.id,
      class: 'otp',
      sessionAcr: acr,
      activeAt: new Date(otp.activeAt).toISOString(),
    });
    res.json({ id: otp.id, activeAt: new Date(otp.activeAt).toISOString() });
  });
}

/** `POST /account/otp/delete`: removes the authenticator app ({@link removeOtp}). */
export function removeOtpRoute(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { account, acr } = await requireRecentSession(app, req);
    const removed = await removeOtp({ db: app.db, accountId: account.id, sessionAcr: acr, now: app.now() });
    app.logger.info('credential.removed', {
      account: account.id,
      credential: removed.id,
      class: 'otp',
      sessionAcr: acr,
    });
    res.json({ removed: removed.id });
  });
}

/**
 * `POST /account/otp/confirm` `{ code }`: lifts a recent settings session to the elevated level with a
 * code of the account's active authenticator app (to make changes on an account that holds that level).
 */
export function confirmWithCode(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { code } = parseBody(req, CodeRequest, 'Please type the 6 digits your authenticator app shows.');
    const { session, account, acr } = await requireRecentSession(app, req);
    const now = app.now();
    const otp = await useCode({
      db: app.db,
      box: app.secretBox,
      attempts: app.codeAttempts,
      accountId: account.id,
      code,
      now,
    });
    // A code lifts what the session holds now to the elevated level, never beyond.
    const lifted = combinedAcr(acr, true) ?? acr;
    await raiseAccountSession(app.db, session.id, { acr: lifted, otpFactorId: otp.id, authTime: now });
    app.logger.info('account.signin', { account: account.id, acr: lifted, ip: req.socket.remoteAddress });
    res.json({ redirectTo: '/account' });
  });
}
