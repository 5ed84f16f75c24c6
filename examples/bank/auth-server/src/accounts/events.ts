import { randomUUID } from 'node:crypto';
import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';

const KINDS = ['added', 'removed', 'reclassified'] as const;

/** What happened to a credential. */
export type CredentialEventKind = (typeof KINDS)[number];

const Row = z.object({
  id: z.string(),
  credential_id: z.string(),
  kind: z.enum(KINDS),
  label: z.string(),
  detail: z.record(z.string(), z.unknown()),
  at: z.number(),
});

/** One entry of an account's audit trail of credential changes (NIST SP 800-63B §6.1: notify and keep a record). */
export interface CredentialEvent {
  id: string;
  credentialId: string;
  kind: CredentialEventKind;
  /** The credential's name at the time (a removed credential has no row left to name it). */
  label: string;
  /** `added`: `{ acr, class, activeAt }`; `removed`: `{ acr, class }`; `reclassified`: `{ before, after }`. */
  detail: Record<string, unknown>;
  at: number;
}

/** The audit trail of credential changes: written in the transaction that makes the change. */
export const credentialEvents = {
  async record(
    db: Queryable,
    event: {
      accountId: string;
      credentialId: string;
      kind: CredentialEventKind;
      label: string;
      at: number;
    } & {
      detail: Record<string, unknown>;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO credential_events (id, account_id, credential_id, kind, label, detail, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        event.accountId,
        event.credentialId,
        event.kind,
        event.label,
        JSON.stringify(event.detail),
        event.at,
      ],
    );
  },

  /** The account's latest events, newest first. */
  async recent(db: Queryable, accountId: string, limit = 10): Promise<CredentialEvent[]> {
    const { rows } = await db.query(
      'SELECT * FROM credential_events WHERE account_id = $1 ORDER BY at DESC, id LIMIT $2',
      [accountId, limit],
    );
    return rows.map((row) => {
      const r = Row.parse(row);
      return {
        id: r.id,
        credentialId: r.credential_id,
        kind: r.kind,
        label: r.label,
        detail: r.detail,
        at: r.at,
      };
    });
  },
};
