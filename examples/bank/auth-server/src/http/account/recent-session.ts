import type { Request } from 'express';
import { credentialAcr } from '../../accounts/credential-level.js';
import { type Account, accounts } from '../../accounts/store.js';
import { acrSatisfies, type BankAcr, isBankAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import type { AppContext } from '../context.js';
import { type AccountSession, currentAccountSession } from './settings-session.js';

/** A settings session with the level it holds now. */
export interface SettingsSession {
  session: AccountSession;
  account: Account;
  /**
   * The lower of the sign-in's level and what its credential reaches now: a session opened with a key
   * that was since removed, disabled or re-rated holds no more than the key does today.
   */
  acr: BankAcr;
  /** Whether the sign-in is recent enough to change credentials. */
  recent: boolean;
}

/** The settings session of this request, or `undefined` (none, expired, or its credential is gone). */
export async function recentSession(app: AppContext, req: Request): Promise<SettingsSession | undefined> {
  const now = app.now();
  const session = await currentAccountSession(app.db, req, now);
  const account = session && (await accounts.byId(app.db, session.accountId));
  if (!session || !account || session.credentialId === null || !isBankAcr(session.acr)) return undefined;
  const credential = await accounts.credential(app.db, session.credentialId);
  const reaches = credential?.accountId === account.id ? credentialAcr(credential, now) : undefined;
  if (reaches === undefined) return undefined;
  const acr = acrSatisfies(reaches, session.acr) ? session.acr : reaches;
  return { session, account, acr, recent: now - session.authTime <= app.recentSignInMs };
}

/** Like {@link recentSession}, but fails with `ERR_REAUTH_REQUIRED` unless the sign-in is recent. */
export async function requireRecentSession(app: AppContext, req: Request): Promise<SettingsSession> {
  const found = await recentSession(app, req);
  if (!found?.recent)
    throw new AuthServerError('ERR_REAUTH_REQUIRED', 'Please sign in again to change your passkeys.');
  return found;
}
