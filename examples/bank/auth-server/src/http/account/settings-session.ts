import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@stepup-example/db';
import type { Request, Response } from 'express';
import { z } from 'zod';

/** Cookie of the security-settings session (path `/account`). */
export const ACCOUNT_COOKIE = 'bank_account';
/** Cookie binding an account-page sign-in ceremony to this browser before a session exists. */
export const CEREMONY_COOKIE = 'bank_ceremony';
const SESSION_MS = 30 * 60 * 1000;

const Row = z.object({
  id: z.string(),
  account_id: z.string(),
  auth_time: z.number(),
  acr: z.string(),
  expires_at: z.number(),
  credential_id: z.string().nullable(),
  otp_factor_id: z.string().nullable().optional(),
});

/** A signed-in visit of the security settings. `authTime` is in milliseconds. */
export interface AccountSession {
  id: string;
  accountId: string;
  authTime: number;
  /** The level of the sign-in that opened it. */
  acr: string;
  /** The credential that signed in (`null` for sessions opened before it was recorded). */
  credentialId: string | null;
  /** The authenticator app whose code lifted the session to the elevated level, if one did. */
  otpFactorId: string | null;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Reads one cookie from the request (values are base64url tokens, so no decoding is needed). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function cookieOptions(maxAge: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/account', maxAge };
}

/** Starts a security-settings session after a passkey sign-in (the token is stored hashed). */
export async function startAccountSession(
  db: Queryable,
  res: Response,
  input: { accountId: string; acr: string; authTime: number; credentialId: string; otpFactorId?: string },
): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO account_sessions (id, account_id, auth_time, acr, expires_at, credential_id, otp_factor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      hash(token),
      input.accountId,
      input.authTime,
      input.acr,
      input.authTime + SESSION_MS,
      input.credentialId,
      input.otpFactorId ?? null,
    ],
  );
  res.cookie(ACCOUNT_COOKIE, token, cookieOptions(SESSION_MS));
}

/** The session of this request, if its cookie names one that has not expired. */
export async function currentAccountSession(
  db: Queryable,
  req: Request,
  now: number,
): Promise<AccountSession | undefined> {
  const token = readCookie(req, ACCOUNT_COOKIE);
  if (!token) return undefined;
  const { rows } = await db.query('SELECT * FROM account_sessions WHERE id = $1 AND expires_at > $2', [
    hash(token),
    now,
  ]);
  if (rows[0] === undefined) return undefined;
  const row = Row.parse(rows[0]);
  return {
    id: row.id,
    accountId: row.account_id,
    authTime: row.auth_time,
    acr: row.acr,
    credentialId: row.credential_id,
    otpFactorId: row.otp_factor_id ?? null,
  };
}

/**
 * Lifts the settings session `id` to `acr` after a one-time code of the authenticator app `otpFactorId`
 * (an active authentication: the sign-in time moves to `authTime`).
 */
export async function raiseAccountSession(
  db: Queryable,
  id: string,
  input: { acr: string; otpFactorId: string; authTime: number },
): Promise<void> {
  await db.query('UPDATE account_sessions SET acr = $2, otp_factor_id = $3, auth_time = $4 WHERE id = $1', [
    id,
    input.acr,
    input.otpFactorId,
    input.authTime,
  ]);
}

/** Ends the session of this request. */
export async function endAccountSession(db: Queryable, req: Request, res: Response): Promise<void> {
  const token = readCookie(req, ACCOUNT_COOKIE);
  if (token) await db.query('DELETE FROM account_sessions WHERE id = $1', [hash(token)]);
  res.clearCookie(ACCOUNT_COOKIE, { path: '/account' });
}

/** The ceremony key of this browser for the account sign-in, set when missing. */
export function ceremonyKey(req: Request, res: Response): string {
  const existing = readCookie(req, CEREMONY_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  res.cookie(CEREMONY_COOKIE, token, cookieOptions(10 * 60 * 1000));
  return token;
}
