import type { RequestHandler } from 'express';
import { z } from 'zod';
import { credentialAcr } from '../../accounts/credential-level.js';
import { highLevelStatus } from '../../accounts/high-level-status.js';
import { stillPending, tooWeak } from '../../accounts/refusals.js';
import { accounts, type StoredCredential } from '../../accounts/store.js';
import { ACR_HIGH, ACR_STANDARD, acrSatisfies, type BankAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import { AuthenticationResponse } from '../../webauthn/schemas.js';
import { finishSignIn, startSignIn } from '../common/ceremony.js';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { recentSession } from './recent-session.js';
import { CEREMONY_COOKIE, ceremonyKey, readCookie, startAccountSession } from './settings-session.js';

const SignInRequest = z.strictObject({ acr: z.enum([ACR_STANDARD, ACR_HIGH]).optional() });

/** The signed-in customer's credentials that reach `acr` now, or the refusal that says why there are none. */
async function reaching(app: AppContext, accountId: string, acr: BankAcr): Promise<StoredCredential[]> {
  const now = app.now();
  const all = await accounts.credentialsOf(app.db, accountId);
  const eligible = all.filter((c) => acrSatisfies(credentialAcr(c, now), acr));
  if (eligible.length > 0) return eligible;
  const status = highLevelStatus(all, now);
  throw status.kind === 'pending' ? stillPending(status.credential) : tooWeak(acr);
}

/**
 * `POST /account/signin/options`: a discoverable-passkey sign-in bound to this browser's ceremony
 * cookie. With `{ "acr": "…high" }` from a signed-in browser (confirming with a security key before a
 * change), only that customer's credentials reaching the level are offered.
 */
export function settingsSignInOptions(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { acr } = parseBody(req, SignInRequest, 'Unknown sign-in request.');
    const current = acr === undefined ? undefined : await recentSession(app, req);
    const allow = current && acr ? await reaching(app, current.account.id, acr) : undefined;
    res.json(await startSignIn(app, ceremonyKey(req, res), allow));
  });
}

/** `POST /account/signin/verify`: verifies the assertion and opens the settings session at its level. */
export function settingsSignInVerify(app: AppContext): RequestHandler {
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
      credentialId: signIn.credential.id,
    });
    app.logger.info('account.signin', {
      account: signIn.account.id,
      acr: signIn.acr,
      ip: req.socket.remoteAddress,
    });
    res.json({ redirectTo: '/account' });
  });
}
