import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';
import { AuthServerError } from '../errors.js';

/** What a pending WebAuthn ceremony is for. */
export type ChallengePurpose = 'signin' | 'signup' | 'add-credential' | 'otp-enrol';

const Row = z.object({
  challenge: z.string(),
  purpose: z.string(),
  data: z.record(z.string(), z.unknown()),
  expires_at: z.number(),
});

/** A pending challenge, as handed back by {@link takeChallenge}. */
export interface PendingChallenge {
  challenge: string;
  data: Record<string, unknown>;
}

/**
 * Stores the challenge of a ceremony under `key` (an interaction uid or an account session), replacing
 * any earlier one for the same key and purpose: only the latest options can be answered.
 */
export async function putChallenge(
  db: Queryable,
  input: {
    key: string;
    purpose: ChallengePurpose;
    challenge: string;
    data: Record<string, unknown>;
    expiresAt: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO webauthn_challenges (id, challenge, purpose, data, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET challenge = EXCLUDED.challenge, purpose = EXCLUDED.purpose,
       data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
    [
      `${input.purpose}:${input.key}`,
      input.challenge,
      input.purpose,
      JSON.stringify(input.data),
      input.expiresAt,
    ],
  );
}

/**
 * Removes and returns the pending challenge: each challenge is answered at most once, so a replayed
 * response finds none (`ERR_CHALLENGE_MISSING`). An expired one is removed too (`ERR_CHALLENGE_EXPIRED`).
 */
export async function takeChallenge(
  db: Queryable,
  key: string,
  purpose: ChallengePurpose,
  now: number,
): Promise<PendingChallenge> {
  const { rows } = await db.query('DELETE FROM webauthn_challenges WHERE id = $1 RETURNING *', [
    `${purpose}:${key}`,
  ]);
  if (rows[0] === undefined) {
    throw new AuthServerError(
      'ERR_CHALLENGE_MISSING',
      'There is no sign-in waiting for this answer. It may have been used already: please start again.',
    );
  }
  const row = Row.parse(rows[0]);
  if (row.expires_at <= now) {
    throw new AuthServerError(
      'ERR_CHALLENGE_EXPIRED',
      'This request took too long and has expired. Please try again.',
    );
  }
  return { challenge: row.challenge, data: row.data };
}
