import type { Request } from 'express';
import { combinedAcr, credentialAcr, otpActive } from '../../accounts/credential-level.js';
import { type Account, accounts } from '../../accounts/store.js';
import { acrSatisfies, type BankAcr, isBankAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import { otpFactors } from '../../otp/store.js';
import type { AppContext } from '../context.js';
import { type AccountSession, currentAccountSession } from './settings-session.js';

/** A settings session with the level it holds now. */
export interface SettingsSession {
  session: AccountSession;
  account: Account;
  /**
   * The lower of the sign-in's level and what its factors reach now: a session opened with a key that
   * was since removed, disabled or re-rated holds no more than the key does today, and one lifted by a
   * code no more than standard once that authenticator app is gone.
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
  const passkey = credential?.accountId === account.id ? credentialAcr(credential, now) : undefined;
  if (passkey === undefined) return undefined;
  // The code that lifted the session counts only while that same app is active on the account.
  const otp = session.otpFactorId === null ? undefined : await otpFactors.of(app.db, account.id);
  const reaches = combinedAcr(passkey, otp?.id === session.otpFactorId && otpActive(otp, now)) ?? passkey;
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
