import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';
import { type BankAcr, isBankAcr } from '../assurance.js';

const Passkey = z.object({
  acr: z.string().refine(isBankAcr),
  amr: z.array(z.string()),
  credentialId: z.string(),
});

const Row = z.object({
  account_id: z.string(),
  passkey: Passkey.nullable(),
  code: z.boolean(),
  expires_at: z.coerce.number(),
});

/** What one authorization interaction has proven so far, of one customer. */
export interface InteractionFactors {
  accountId: string;
  /** A passkey sign-in made in this interaction (for an approval: against the approval's challenge). */
  passkey: { acr: BankAcr; amr: string[]; credentialId: string } | undefined;
  /** A one-time code of the customer's authenticator app, used in this interaction. */
  code: boolean;
}

/**
 * The factors proven in each interaction (keyed by its `uid`) while more are asked for: a passkey
 * first, then a code. Kept until the interaction ends (its login is finished, or it expires).
 */
export const interactionFactors = {
  async of(db: Queryable, uid: string, now: number): Promise<InteractionFactors | undefined> {
    const { rows } = await db.query('SELECT * FROM interaction_factors WHERE uid = $1 AND expires_at > $2', [
      uid,
      now,
    ]);
    if (rows[0] === undefined) return undefined;
    const r = Row.parse(rows[0]);
    return {
      accountId: r.account_id,
      passkey: r.passkey === null ? undefined : { ...r.passkey, acr: r.passkey.acr as BankAcr },
      code: r.code,
    };
  },

  /** Stores what is proven now (a passkey replaces the customer: a code of another customer is dropped). */
  async save(db: Queryable, uid: string, factors: InteractionFactors, expiresAt: number): Promise<void> {
    await db.query(
      `INSERT INTO interaction_factors (uid, account_id, passkey, code, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (uid) DO UPDATE SET account_id = EXCLUDED.account_id, passkey = EXCLUDED.passkey,
         code = EXCLUDED.code, expires_at = EXCLUDED.expires_at`,
      [
        uid,
        factors.accountId,
        factors.passkey === undefined ? null : JSON.stringify(factors.passkey),
        factors.code,
        expiresAt,
      ],
    );
  },

  async clear(db: Queryable, uid: string): Promise<void> {
    await db.query('DELETE FROM interaction_factors WHERE uid = $1', [uid]);
  },
};
