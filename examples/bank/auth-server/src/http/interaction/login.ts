import type { Request, Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { accounts } from '../../accounts/store.js';
import { acrForClass, acrSatisfies, type BankAcr, requiredAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import { startAccountSession } from '../account/settings-session.js';
import type { AppContext } from '../context.js';

/**
 * The login interaction of this request: its details, the level it requires (`undefined` when it
 * asks only for levels the bank does not offer), the customer already signed in on this browser, and
 * that customer's credentials reaching the level. Fails when the interaction is not at login.
 */
export async function loginInteraction(app: AppContext, req: Request, res: Response) {
  const details = await app.provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    throw new AuthServerError('ERR_BAD_REQUEST', 'This step of the sign-in is already complete.');
  }
  const acrValues = details.params.acr_values;
  const required = requiredAcr(typeof acrValues === 'string' ? acrValues : undefined);
  const sessionAccountId = details.session?.accountId;
  const known = sessionAccountId ? await accounts.byId(app.db, sessionAccountId) : undefined;
  const eligible = known
    ? (await accounts.credentialsOf(app.db, known.id)).filter(
        (c) => !required.unmet && acrSatisfies(acrForClass(c.class), required.acr),
      )
    : undefined;
  return { details, required: required.unmet ? undefined : required.acr, known, eligible };
}

/** The refusal for a credential (or a request) below the level. */
export function tooWeak(required: BankAcr | undefined): AuthServerError {
  return new AuthServerError(
    'ERR_CREDENTIAL_TOO_WEAK',
    required === undefined
      ? 'The app asked for a kind of sign-in that Stepup Bank does not offer.'
      : 'This passkey does not reach the level this action needs. Please use your security key.',
  );
}

/**
 * Finishes the login interaction with the level reached and answers `{ redirectTo }` (the
 * provider's resume URL). Also opens the security-settings session for this browser.
 */
export async function finishLogin(
  app: AppContext,
  req: Request,
  res: Response,
  login: { accountId: string; acr: BankAcr; amr: string[] },
): Promise<void> {
  const now = app.now();
  const result: InteractionResults = {
    login: { ...login, ts: Math.floor(now / 1000), remember: true },
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
