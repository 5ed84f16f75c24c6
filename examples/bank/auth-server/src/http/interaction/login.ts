import type { Request, Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { credentialAcr } from '../../accounts/credential-level.js';
import { type HighLevelStatus, highLevelStatus } from '../../accounts/high-level-status.js';
import { accounts } from '../../accounts/store.js';
import { acrSatisfies, type BankAcr, requiredAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import { addedNotices } from '../../views/notices.js';
import { startAccountSession } from '../account/settings-session.js';
import type { AppContext } from '../context.js';

/**
 * The login interaction of this request: its details, the level it requires (`undefined` when it
 * asks only for levels the bank does not offer), the customer already signed in on this browser, that
 * customer's credentials reaching the level now (a pending key does not reach the high level), and
 * what stands between them and the high level. Fails when the interaction is not at login.
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
  const now = app.now();
  const credentials = known ? await accounts.credentialsOf(app.db, known.id) : undefined;
  const eligible = credentials?.filter(
    (c) => !required.unmet && acrSatisfies(credentialAcr(c, now), required.acr),
  );
  const high: HighLevelStatus | undefined = credentials && highLevelStatus(credentials, now);
  return {
    details,
    required: required.unmet ? undefined : required.acr,
    known,
    credentials,
    eligible,
    high,
  };
}

/**
 * Finishes the login interaction with the level reached and answers `{ redirectTo, notices }` (the
 * provider's resume URL, and the sentences the page shows before going there: a key added during its
 * cooling-off period is announced at every sign-in). Also opens the security-settings session.
 */
export async function finishLogin(
  app: AppContext,
  req: Request,
  res: Response,
  login: { accountId: string; acr: BankAcr; amr: string[]; credentialId: string },
): Promise<void> {
  const now = app.now();
  const { credentialId, ...rest } = login;
  const result: InteractionResults = { login: { ...rest, ts: Math.floor(now / 1000), remember: true } };
  const redirectTo = await app.provider.interactionResult(req, res, result, {
    mergeWithLastSubmission: false,
  });
  await startAccountSession(app.db, res, {
    accountId: login.accountId,
    acr: login.acr,
    authTime: now,
    credentialId,
  });
  const notices = addedNotices(await accounts.credentialsOf(app.db, login.accountId), now);
  app.logger.info('signin.succeeded', {
    account: login.accountId,
    acr: login.acr,
    ip: req.socket.remoteAddress,
    ...(notices.length > 0 ? { pendingNotices: notices.length } : {}),
  });
  res.json({ redirectTo, notices });
}
