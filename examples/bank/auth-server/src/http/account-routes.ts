import { type Request, type RequestHandler, type Response, Router } from 'express';
import { verifyNewCredential } from '../accounts/register.js';
import { signInWithPasskey } from '../accounts/signin.js';
import { type Account, accounts } from '../accounts/store.js';
import { AuthServerError } from '../errors.js';
import { accountPage, accountSignInPage } from '../views/account.js';
import { authenticationOptions } from '../webauthn/authentication.js';
import { putChallenge, takeChallenge } from '../webauthn/challenges.js';
import { registrationOptions } from '../webauthn/registration.js';
import { AddCredentialRequest, AuthenticationResponse } from '../webauthn/schemas.js';
import {
  type AccountSession,
  CEREMONY_COOKIE,
  ceremonyKey,
  currentAccountSession,
  endAccountSession,
  readCookie,
  startAccountSession,
} from './account-session.js';
import type { AppContext } from './context.js';
import { parseBody, route } from './json.js';

async function recentSession(
  app: AppContext,
  req: Request,
): Promise<{ session: AccountSession; account: Account }> {
  const session = await currentAccountSession(app.db, req, app.now());
  const account = session && (await accounts.byId(app.db, session.accountId));
  if (!session || !account || app.now() - session.authTime > app.recentSignInMs) {
    throw new AuthServerError('ERR_REAUTH_REQUIRED', 'Please sign in again to change your passkeys.');
  }
  return { session, account };
}

/**
 * The security settings at `/account`: list the customer's authenticators with their level in
 * words, add one (with attestation, classified like at sign-up), remove one (never the last). Every
 * change needs a sign-in from the last few minutes (`recentSignInMs`), checked by the server.
 */
export function accountRoutes(
  app: AppContext,
  guard: { json: RequestHandler[]; limit: RequestHandler },
): Router {
  const router = Router();
  const { json, limit } = guard;

  router.get(
    '/account',
    route(async (req, res) => {
      const session = await currentAccountSession(app.db, req, app.now());
      const account = session && (await accounts.byId(app.db, session.accountId));
      res.setHeader('Cache-Control', 'no-store');
      if (!session || !account || app.now() - session.authTime > app.recentSignInMs) {
        res.type('html').send(accountSignInPage({ again: session !== undefined }));
        return;
      }
      res
        .type('html')
        .send(accountPage({ account, credentials: await accounts.credentialsOf(app.db, account.id) }));
    }),
  );

  router.post(
    '/account/signin/options',
    limit,
    ...json,
    route(async (req, res) => {
      const key = ceremonyKey(req, res);
      const options = await authenticationOptions({
        rp: app.rp,
        allow: undefined,
        timeoutMs: app.challengeTtlMs,
      });
      await putChallenge(app.db, {
        key,
        purpose: 'signin',
        challenge: options.challenge,
        data: {},
        expiresAt: app.now() + app.challengeTtlMs,
      });
      res.json(options);
    }),
  );

  router.post(
    '/account/signin/verify',
    limit,
    ...json,
    route(async (req, res) => {
      const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
      const key = readCookie(req, CEREMONY_COOKIE);
      if (!key)
        throw new AuthServerError(
          'ERR_CHALLENGE_MISSING',
          'There is no sign-in waiting. Please start again.',
        );
      const pending = await takeChallenge(app.db, key, 'signin', app.now());
      const signIn = await signInWithPasskey({
        db: app.db,
        rp: app.rp,
        response,
        expectedChallenge: pending.challenge,
        now: app.now(),
      });
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
    }),
  );

  router.post(
    '/account/credentials/options',
    limit,
    ...json,
    route(async (req, res) => {
      const { session, account } = await recentSession(app, req);
      const existing = await accounts.credentialsOf(app.db, account.id);
      const options = await registrationOptions({
        rp: app.rp,
        userHandle: Buffer.from(account.userHandle, 'base64url'),
        userName: account.name,
        displayName: account.name,
        exclude: existing,
        timeoutMs: app.challengeTtlMs,
      });
      await putChallenge(app.db, {
        key: session.id,
        purpose: 'add-credential',
        challenge: options.challenge,
        data: {},
        expiresAt: app.now() + app.challengeTtlMs,
      });
      res.json(options);
    }),
  );

  router.post(
    '/account/credentials/verify',
    limit,
    ...json,
    route(async (req, res) => {
      const body = parseBody(req, AddCredentialRequest, 'This passkey response is malformed.');
      const { session, account } = await recentSession(app, req);
      const now = app.now();
      const pending = await takeChallenge(app.db, session.id, 'add-credential', now);
      const fresh = await app.db.transaction(async (tx) => {
        const verified = await verifyNewCredential({
          db: tx,
          rp: app.rp,
          classifier: app.classifier,
          response: body.credential,
          expectedChallenge: pending.challenge,
          nickname: body.nickname,
          now,
        });
        await accounts.insertCredential(tx, { ...verified.credential, accountId: account.id });
        return verified;
      });
      app.logger.info('credential.added', { account: account.id, class: fresh.credential.class });
      res.json({ id: fresh.credential.id, class: fresh.credential.class, acr: fresh.acr });
    }),
  );

  router.post(
    '/account/credentials/:id/delete',
    ...json,
    route(async (req, res) => {
      const { account } = await recentSession(app, req);
      const all = await accounts.credentialsOf(app.db, account.id);
      const target = all.find((c) => c.id === req.params.id);
      if (!target) throw new AuthServerError('ERR_NOT_FOUND', 'This passkey is not on your account.');
      if (all.length === 1) {
        throw new AuthServerError(
          'ERR_LAST_CREDENTIAL',
          'You cannot remove your only passkey: add another one first.',
        );
      }
      await accounts.deleteCredential(app.db, account.id, target.id);
      app.logger.info('credential.removed', { account: account.id, credential: target.id });
      res.json({ removed: target.id });
    }),
  );

  router.post(
    '/account/signout',
    ...json,
    route(async (req, res: Response) => {
      await endAccountSession(app.db, req, res);
      res.json({ redirectTo: '/account' });
    }),
  );

  return router;
}
