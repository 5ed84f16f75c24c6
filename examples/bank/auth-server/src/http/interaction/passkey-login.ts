import type { RequestHandler } from 'express';
import { isPending } from '../../accounts/credential-level.js';
import { stillPending, tooWeak } from '../../accounts/refusals.js';
import { ACR_HIGH, acrSatisfies } from '../../assurance.js';
import { AuthenticationResponse } from '../../webauthn/schemas.js';
import type { AppContext } from '../context.js';
import { finishSignIn, startSignIn } from '../shared/ceremony.js';
import { parseBody, route } from '../shared/json.js';
import { finishLogin, loginInteraction } from './login.js';

/**
 * `POST /interaction/:uid/signin/options`: options for `navigator.credentials.get()`. For a customer
 * already known on this browser, only their credentials reaching the level now are allowed (none: 403,
 * `credential_pending` when a key waits out its cooling-off period); otherwise any discoverable passkey.
 */
export function signInOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { details, required, eligible, high } = await loginInteraction(app, req, res);
    if (required === undefined) throw tooWeak(required);
    if (eligible !== undefined && eligible.length === 0) {
      throw required === ACR_HIGH && high?.kind === 'pending'
        ? stillPending(high.credential)
        : tooWeak(required);
    }
    res.json(await startSignIn(app, details.uid, eligible));
  });
}

/**
 * `POST /interaction/:uid/signin/verify`: verifies the assertion and finishes the login, unless the
 * credential is below the level the request needs now (403, whatever the page offered; a key rated high
 * but still pending answers `credential_pending`).
 */
export function signInVerify(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
    const { details, required } = await loginInteraction(app, req, res);
    const signIn = await finishSignIn(app, details.uid, response);
    if (required === undefined || !acrSatisfies(signIn.acr, required)) {
      const waiting = signIn.credential.class === 'high' && isPending(signIn.credential, app.now());
      throw waiting ? stillPending(signIn.credential) : tooWeak(required);
    }
    await finishLogin(app, req, res, {
      accountId: signIn.account.id,
      acr: signIn.acr,
      amr: signIn.amr,
      credentialId: signIn.credential.id,
    });
  });
}
