import { type RequestHandler, Router } from 'express';
import type { AppContext } from '../context.js';
import { abortInteraction } from './abort.js';
import { codeVerify } from './code.js';
import { interactionPage } from './page.js';
import { signInOptions, signInVerify } from './passkey-login.js';
import { signUpOptions, signUpVerify } from './sign-up.js';

/**
 * The interaction pages of authorization requests: sign in with a passkey, add a one-time code when
 * the elevated level asks for it, approve a transfer, open an account, or go back to the client with
 * `access_denied` (cancel) or `unmet_authentication_requirements` (the requested level cannot be reached). The server refuses to finish a sign-in below the requested
 * level, whatever the page sent. WebAuthn endpoints are rate-limited; all POSTs take JSON only.
 */
export function interactionRoutes(
  app: AppContext,
  guard: { json: RequestHandler[]; limit: RequestHandler },
): Router {
  const { json, limit } = guard;
  const router = Router();
  router.get('/interaction/:uid', interactionPage(app));
  router.post('/interaction/:uid/signin/options', limit, ...json, signInOptions(app));
  router.post('/interaction/:uid/signin/verify', limit, ...json, signInVerify(app));
  router.post('/interaction/:uid/code/verify', limit, ...json, codeVerify(app));
  router.post('/interaction/:uid/signup/options', limit, ...json, signUpOptions(app));
  router.post('/interaction/:uid/signup/verify', limit, ...json, signUpVerify(app));
  router.post('/interaction/:uid/abort', ...json, abortInteraction(app));
  return router;
}
