import type { RequestHandler } from 'express';
import { AuthServerError } from '../../errors.js';
import { AuthenticationResponse } from '../../webauthn/schemas.js';
import type { AppContext } from '../context.js';
import { finishSignIn, startSignIn } from '../shared/ceremony.js';
import { parseBody, route } from '../shared/json.js';
import { CEREMONY_COOKIE, ceremonyKey, readCookie, startAccountSession } from './settings-session.js';

/** `POST /account/signin/options`: a discoverable-passkey sign-in bound to this browser's ceremony cookie. */
export function accountSignInOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    res.json(await startSignIn(app, ceremonyKey(req, res), undefined));
  });
}

/** `POST /account/signin/verify`: verifies the assertion and opens the settings session. */
export function accountSignInVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
    const key = readCookie(req, CEREMONY_COOKIE);
    if (!key)
      throw new AuthServerError('ERR_CHALLENGE_MISSING', 'There is no sign-in waiting. Please start again.');
    const signIn = await finishSignIn(app, key, response);
    await startAccountSession(app.db, res, {
      accountId: signIn.account.id,
      acr: signIn.acr,
      authTime: app.now(),
    });
    app.logger.info('account.signin', {
      account: signIn.account.id,
      acr: signIn.acr,
      ip: req.socket.remoteAddress,
    });
    res.json({ redirectTo: '/account' });
  });
}
