import { randomBytes, randomUUID } from 'node:crypto';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { z } from 'zod';
import { verifyNewCredential } from '../accounts/register.js';
import { amrFor, signInWithPasskey } from '../accounts/signin.js';
import { accounts } from '../accounts/store.js';
import { acrForClass, acrSatisfies, type BankAcr, requiredAcr } from '../assurance.js';
import { AuthServerError } from '../errors.js';
import { signInPage } from '../views/signin.js';
import { authenticationOptions } from '../webauthn/authentication.js';
import { putChallenge, takeChallenge } from '../webauthn/challenges.js';
import { registrationOptions } from '../webauthn/registration.js';
import { AuthenticationResponse, RegistrationResponse, SignUpRequest } from '../webauthn/schemas.js';
import { startAccountSession } from './account-session.js';
import { autoConsent } from './consent.js';
import type { AppContext } from './context.js';
import { parseBody, route } from './json.js';

type Details = Awaited<ReturnType<AppContext['provider']['interactionDetails']>>;

const Abort = z.object({ reason: z.enum(['cancel', 'unmet']) });

function acrValuesOf(details: Details): string | undefined {
  const value = details.params.acr_values;
  return typeof value === 'string' ? value : undefined;
}

async function loginDetails(app: AppContext, req: Request, res: Response) {
  const details = await app.provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    throw new AuthServerError('ERR_BAD_REQUEST', 'This step of the sign-in is already complete.');
  }
  const required = requiredAcr(acrValuesOf(details));
  const sessionAccountId = details.session?.accountId;
  const known = sessionAccountId ? await accounts.byId(app.db, sessionAccountId) : undefined;
  const eligible = known
    ? (await accounts.credentialsOf(app.db, known.id)).filter(
        (c) => !required.unmet && acrSatisfies(acrForClass(c.class), required.acr),
      )
    : undefined;
  return { details, required: required.unmet ? undefined : required.acr, known, eligible };
}

async function finishLogin(
  app: AppContext,
  req: Request,
  res: Response,
  login: { accountId: string; acr: BankAcr; amr: string[] },
): Promise<void> {
  const now = app.now();
  const result: InteractionResults = {
    login: {
      accountId: login.accountId,
      acr: login.acr,
      amr: login.amr,
      ts: Math.floor(now / 1000),
      remember: true,
    },
  };
  const redirectTo = await app.provider.interactionResult(req, res, result, {
    mergeWithLastSubmission: false,
  });
  await startAccountSession(app.db, res, { accountId: login.accountId, acr: login.acr, authTime: now });
  app.logger.info('signin.succeeded', {
    account: login.accountId,
    acr: login.acr,
    ip: req.socket.remoteAddress,
  });
  res.json({ redirectTo });
}

function tooWeak(required: BankAcr | undefined): AuthServerError {
  return new AuthServerError(
    'ERR_CREDENTIAL_TOO_WEAK',
    required === undefined
      ? 'The app asked for a kind of sign-in that Stepup Bank does not offer.'
      : 'This passkey does not reach the level this action needs. Please use your security key.',
  );
}

/**
 * The interaction pages of authorization requests: sign in with a passkey, open an account, or go
 * back to the client with `access_denied` (cancel) or `unmet_authentication_requirements` (the
 * requested level cannot be reached). The server refuses to finish a sign-in below the requested
 * level, whatever the page sent.
 */
export function interactionRoutes(
  app: AppContext,
  guard: { json: RequestHandler[]; limit: RequestHandler },
): Router {
  const router = Router();
  const { json } = guard;

  router.get(
    '/interaction/:uid',
    route(async (req, res) => {
      const details = await app.provider.interactionDetails(req, res);
      if (details.prompt.name === 'consent') {
        const result = await autoConsent(app.provider, details);
        res.redirect(
          303,
          await app.provider.interactionResult(req, res, result, { mergeWithLastSubmission: true }),
        );
        return;
      }
      const { required, known, eligible } = await loginDetails(app, req, res);
      const client = await app.provider.Client.find(String(details.params.client_id));
      res.type('html').send(
        signInPage({
          uid: details.uid,
          clientName: client?.clientName ?? 'the app',
          required,
          reasons: details.prompt.reasons,
          accountName: known?.name,
          hasEligible: eligible === undefined ? undefined : eligible.length > 0,
        }),
      );
    }),
  );

  router.post(
    '/interaction/:uid/signin/options',
    guard.limit,
    ...json,
    route(async (req, res) => {
      const { details, required, eligible } = await loginDetails(app, req, res);
      if (required === undefined || (eligible !== undefined && eligible.length === 0))
        throw tooWeak(required);
      const options = await authenticationOptions({
        rp: app.rp,
        allow: eligible,
        timeoutMs: app.challengeTtlMs,
      });
      await putChallenge(app.db, {
        key: details.uid,
        purpose: 'signin',
        challenge: options.challenge,
        data: {},
        expiresAt: app.now() + app.challengeTtlMs,
      });
      res.json(options);
    }),
  );

  router.post(
    '/interaction/:uid/signin/verify',
    guard.limit,
    ...json,
    route(async (req, res) => {
      const response = parseBody(req, AuthenticationResponse, 'This sign-in response is malformed.');
      const { details, required } = await loginDetails(app, req, res);
      const pending = await takeChallenge(app.db, details.uid, 'signin', app.now());
      const signIn = await signInWithPasskey({
        db: app.db,
        rp: app.rp,
        response,
        expectedChallenge: pending.challenge,
        now: app.now(),
      });
      if (required === undefined || !acrSatisfies(signIn.acr, required)) throw tooWeak(required);
      await finishLogin(app, req, res, { accountId: signIn.account.id, acr: signIn.acr, amr: signIn.amr });
    }),
  );

  router.post(
    '/interaction/:uid/signup/options',
    guard.limit,
    ...json,
    route(async (req, res) => {
      const { name } = parseBody(
        req,
        SignUpRequest,
        'Please tell us your name (letters, digits and spaces).',
      );
      const { details } = await loginDetails(app, req, res);
      const userHandle = randomBytes(16);
      const options = await registrationOptions({
        rp: app.rp,
        userHandle,
        userName: name,
        displayName: name,
        exclude: [],
        timeoutMs: app.challengeTtlMs,
      });
      await putChallenge(app.db, {
        key: details.uid,
        purpose: 'signup',
        challenge: options.challenge,
        data: { name, userHandle: userHandle.toString('base64url') },
        expiresAt: app.now() + app.challengeTtlMs,
      });
      res.json(options);
    }),
  );

  router.post(
    '/interaction/:uid/signup/verify',
    guard.limit,
    ...json,
    route(async (req, res) => {
      const response = parseBody(req, RegistrationResponse, 'This passkey response is malformed.');
      const { details, required } = await loginDetails(app, req, res);
      const now = app.now();
      const pending = await takeChallenge(app.db, details.uid, 'signup', now);
      const data = z.object({ name: z.string(), userHandle: z.string() }).parse(pending.data);
      const created = await app.db.transaction(async (tx) => {
        const fresh = await verifyNewCredential({
          db: tx,
          rp: app.rp,
          classifier: app.classifier,
          response,
          expectedChallenge: pending.challenge,
          nickname: undefined,
          now,
        });
        const accountId = randomUUID();
        await accounts.insert(tx, {
          id: accountId,
          userHandle: data.userHandle,
          name: data.name,
          createdAt: now,
        });
        await accounts.insertCredential(tx, { ...fresh.credential, accountId });
        return { accountId, ...fresh };
      });
      app.logger.info('account.created', { account: created.accountId, class: created.credential.class });
      if (required === undefined || !acrSatisfies(created.acr, required)) throw tooWeak(required);
      await finishLogin(app, req, res, {
        accountId: created.accountId,
        acr: created.acr,
        amr: amrFor(created.credential),
      });
    }),
  );

  router.post(
    '/interaction/:uid/abort',
    ...json,
    route(async (req, res) => {
      const { reason } = parseBody(req, Abort, 'Unknown reason.');
      await app.provider.interactionDetails(req, res);
      const result: InteractionResults =
        reason === 'cancel'
          ? { error: 'access_denied', error_description: 'the customer cancelled the sign-in' }
          : {
              error: 'unmet_authentication_requirements',
              error_description: 'the requested authentication level cannot be reached by this customer',
            };
      res.json({
        redirectTo: await app.provider.interactionResult(req, res, result, {
          mergeWithLastSubmission: false,
        }),
      });
    }),
  );

  return router;
}
