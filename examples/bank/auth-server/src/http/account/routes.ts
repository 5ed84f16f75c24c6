import { type RequestHandler, Router } from 'express';
import type { AppContext } from '../context.js';
import { route } from '../shared/json.js';
import { addCredentialOptions, addCredentialVerify, removeCredential } from './credentials.js';
import { accountSettingsPage } from './page.js';
import { endAccountSession } from './settings-session.js';
import { accountSignInOptions, accountSignInVerify } from './settings-sign-in.js';

/**
 * The security settings at `/account`: list the customer's authenticators with their level in
 * words, add one (with attestation, classified like at sign-up), remove one (never the last). Every
 * change needs a sign-in from the last few minutes (`recentSignInMs`), checked by the server.
 */
export function accountRoutes(
  app: AppContext,
  guard: { json: RequestHandler[]; limit: RequestHandler },
): Router {
  const { json, limit } = guard;
  const router = Router();
  router.get('/account', accountSettingsPage(app));
  router.post('/account/signin/options', limit, ...json, accountSignInOptions(app));
  router.post('/account/signin/verify', limit, ...json, accountSignInVerify(app));
  router.post('/account/credentials/options', limit, ...json, addCredentialOptions(app));
  router.post('/account/credentials/verify', limit, ...json, addCredentialVerify(app));
  router.post('/account/credentials/:id/delete', ...json, removeCredential(app));
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
