import type { Request } from 'express';
import { type Account, accounts } from '../../accounts/store.js';
import { AuthServerError } from '../../errors.js';
import type { AppContext } from '../context.js';
import { type AccountSession, currentAccountSession } from './settings-session.js';

/** The settings session of this request if it is signed in recently enough, else `undefined`. */
export async function recentSession(
  app: AppContext,
  req: Request,
): Promise<{ session: AccountSession; account: Account; recent: boolean } | undefined> {
  const session = await currentAccountSession(app.db, req, app.now());
  const account = session && (await accounts.byId(app.db, session.accountId));
  if (!session || !account) return undefined;
  return { session, account, recent: app.now() - session.authTime <= app.recentSignInMs };
}

/** Like {@link recentSession}, but fails with `ERR_REAUTH_REQUIRED` unless the sign-in is recent. */
export async function requireRecentSession(app: AppContext, req: Request) {
  const found = await recentSession(app, req);
  if (!found?.recent)
    throw new AuthServerError('ERR_REAUTH_REQUIRED', 'Please sign in again to change your passkeys.');
  return found;
}
