import type { RequestHandler } from 'express';
import { acrSatisfies } from '../../assurance.js';
import { AuthenticationResponse } from '../../webauthn/schemas.js';
import type { AppContext } from '../context.js';
import { finishSignIn, startSignIn } from '../shared/ceremony.js';
import { parseBody, route } from '../shared/json.js';
import { finishLogin, loginInteraction, tooWeak } from './login.js';

/**
 * `POST /interaction/:uid/signin/options`: options for `navigator.credentials.get()`. For a customer
 * already known on this browser, only their credentials reaching the level are allowed (none: 403);
 * otherwise any discoverable passkey.
 */
export function signInOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { details, required, eligible } = await loginInteraction(app, req, res);
    if (required === undefined || (eligible !== undefined && eligible.length === 0)) throw tooWeak(required);
    res.json(await startSignIn(app, details.uid, eligible));
  });
}

/**
 * `POST /interaction/:uid/signin/verify`: verifies the assertion and finishes the login, unless the
 * credential is below the level the request needs (403, whatever the page offered).
 */
export function signInVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
    const { details, required } = await loginInteraction(app, req, res);
    const signIn = await finishSignIn(app, details.uid, response);
    if (required === undefined || !acrSatisfies(signIn.acr, required)) throw tooWeak(required);
    await finishLogin(app, req, res, { accountId: signIn.account.id, acr: signIn.acr, amr: signIn.amr });
  });
}
