import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';

const Row = z.object({
  currency: z.string(),
  name: z.string(),
  number: z.string(),
  created_at: z.coerce.number().nullable(),
});

/** Who a transfer pays, from the bank's own data: what its approval names. */
export interface TransferParties {
  /** The currency of the account the money leaves. */
  readonly currency: string;
  /** The payee (or the customer's own account): its name and account number as stored. */
  readonly creditor: { readonly name: string; readonly account: string };
  /** When the payee was added (epoch ms); `undefined` for the customer's own account. */
  readonly payeeAddedAt: number | undefined;
}

/**
 * The parties of a transfer from `fromAccountId` to one of `owner`'s accounts or payees, or `undefined`
 * when either is not the customer's (the route then answers 404 and moves nothing). Reads only: the
 * transfer itself checks them again under its locks.
 */
export async function transferParties(
  db: Queryable,
  owner: string,
  transfer: { readonly fromAccountId: string; readonly toAccountId?: string; readonly toPayeeId?: string },
): Promise<TransferParties | undefined> {
  const to =
    transfer.toPayeeId === undefined
      ? `SELECT name, number, NULL::bigint AS created_at FROM accounts WHERE id = $3 AND owner = $1 AND NOT internal`
      : 'SELECT name, account_number AS number, created_at FROM payees WHERE id = $3 AND owner = $1';
  const { rows } = await db.query(
    `SELECT f.currency, t.name, t.number, t.created_at
       FROM accounts f, (${to}) t
      WHERE f.id = $2 AND f.owner = $1 AND NOT f.internal`,
    [owner, transfer.fromAccountId, transfer.toPayeeId ?? transfer.toAccountId],
  );
  if (rows[0] === undefined) return undefined;
  const row = Row.parse(rows[0]);
  return {
    currency: row.currency,
    creditor: { name: row.name, account: row.number },
    payeeAddedAt: row.created_at ?? undefined,
  };
}
