import { type RequestHandler, Router } from 'express';
import { route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { addCredentialOptions, addCredentialVerify } from './add-credential.js';
import { addOtpOptions, addOtpVerify, confirmWithCode, removeOtpRoute } from './otp.js';
import { accountSettingsPage } from './page.js';
import { removeCredentialRoute } from './remove-credential.js';
import { endAccountSession } from './settings-session.js';
import { settingsSignInOptions, settingsSignInVerify } from './settings-sign-in.js';

/**
 * The security settings at `/account`: list the customer's authenticators with their level in
 * words, add one (with attestation, classified like at sign-up), remove one (never the last), add or
 * remove the authenticator app (TOTP), confirm a session with a code. Every
 * change needs a sign-in from the last few minutes (`recentSignInMs`) at the level the account holds
 * (a key added from a lower one waits out the cooling-off period), checked by the server.
 */
export function accountRoutes(
  app: AppContext,
  guard: { json: RequestHandler[]; limit: RequestHandler },
): Router {
  const { json, limit } = guard;
  const router = Router();
  router.get('/account', accountSettingsPage(app));
  router.post('/account/signin/options', limit, ...json, settingsSignInOptions(app));
  router.post('/account/signin/verify', limit, ...json, settingsSignInVerify(app));
  router.post('/account/credentials/options', limit, ...json, addCredentialOptions(app));
  router.post('/account/credentials/verify', limit, ...json, addCredentialVerify(app));
  router.post('/account/credentials/:id/delete', limit, ...json, removeCredentialRoute(app));
  router.post('/account/otp/options', limit, ...json, addOtpOptions(app));
  router.post('/account/otp/verify', limit, ...json, addOtpVerify(app));
  router.post('/account/otp/delete', limit, ...json, removeOtpRoute(app));
  router.post('/account/otp/confirm', limit, ...json, confirmWithCode(app));
  router.post(
    '/account/signout',
    ...json,
    route(async (req, res) => {
      await endAccountSession(app.db, req, res);
      res.json({ redirectTo: '/account' });
    }),
  );
  return router;
}
