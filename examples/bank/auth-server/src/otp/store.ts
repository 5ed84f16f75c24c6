import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';

const Row = z.object({
  id: z.string(),
  account_id: z.string(),
  secret: z.string(),
  label: z.string(),
  created_at: z.coerce.number(),
  active_at: z.coerce.number(),
  added_by_acr: z.string(),
  last_step: z.coerce.number(),
  last_used_at: z.coerce.number().nullable(),
});

/** A customer's authenticator app (TOTP, RFC 6238): at most one per account. */
export interface StoredOtp {
  id: string;
  accountId: string;
  /** The seed, sealed with the server's key (`SecretBox`, AES-256-GCM); never stored in the clear. */
  sealedSecret: string;
  label: string;
  createdAt: number;
  /**
   * From when its codes count towards the elevated level (epoch ms). Added from a session below the
   * elevated level it waits out the cooling-off period, like a first security key.
   */
  activeAt: number;
  /** The level of the settings session that added it. */
  addedByAcr: string;
  /** The last RFC 6238 time step whose code was accepted (-1: none): a code is good once. */
  lastStep: number;
  lastUsedAt: number | null;
}

function toOtp(row: unknown): StoredOtp {
  const r = Row.parse(row);
  return {
    id: r.id,
    accountId: r.account_id,
    sealedSecret: r.secret,
    label: r.label,
    createdAt: r.created_at,
    activeAt: r.active_at,
    addedByAcr: r.added_by_acr,
    lastStep: r.last_step,
    lastUsedAt: r.last_used_at,
  };
}

/** The authenticator apps of the accounts. Every method takes the database or an open transaction. */
export const otpFactors = {
  async of(db: Queryable, accountId: string): Promise<StoredOtp | undefined> {
    const { rows } = await db.query('SELECT * FROM otp_factors WHERE account_id = $1', [accountId]);
    return rows[0] === undefined ? undefined : toOtp(rows[0]);
  },

  async insert(db: Queryable, otp: Omit<StoredOtp, 'lastStep' | 'lastUsedAt'>): Promise<void> {
    await db.query(
      `INSERT INTO otp_factors (id, account_id, secret, label, created_at, active_at, added_by_acr)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [otp.id, otp.accountId, otp.sealedSecret, otp.label, otp.createdAt, otp.activeAt, otp.addedByAcr],
    );
  },

  async delete(db: Queryable, accountId: string, id: string): Promise<boolean> {
    const { count } = await db.query('DELETE FROM otp_factors WHERE id = $1 AND account_id = $2', [
      id,
      accountId,
    ]);
    return count > 0;
  },

  /**
   * Records that the code of `step` was used, if no code of that step or a later one was: one
   * statement, so of two requests with the same code exactly one gets `true`.
   */
  async useStep(db: Queryable, id: string, step: number, at: number): Promise<boolean> {
    const { count } = await db.query(
      'UPDATE otp_factors SET last_step = $2, last_used_at = $3 WHERE id = $1 AND last_step < $2',
      [id, step, at],
    );
    return count === 1;
  },
};
