import { createHash } from 'node:crypto';
import type { Db, Queryable } from '@stepup-example/db';
import { z } from 'zod';
import { BankApiError } from '../errors.js';
import { BANK_ACCOUNTS } from './bank.js';
import { newId } from './ids.js';
import { lockAccounts, post } from './post.js';
import { type Transfer, TransferRow } from './rows.js';

/** A transfer as a customer asks for it: to one of their own accounts, or to one of their payees. */
export interface TransferRequest {
  readonly owner: string;
  /** The client's `Idempotency-Key`: the same key always means the same transfer. */
  readonly key: string;
  readonly fromAccountId: string;
  readonly to: { readonly accountId: string } | { readonly payeeId: string };
  /** Minor units, > 0. */
  readonly amount: number;
  readonly description: string;
}

/** The outcome: the transfer, and whether it was done by an earlier request with the same key. */
export interface TransferOutcome {
  readonly transfer: Transfer;
  readonly replayed: boolean;
}

const Claim = z.object({ request_hash: z.string(), transfer_id: z.string().nullable() });
const PayeeName = z.object({ name: z.string() });
const TRANSFER_COLUMNS = 'id, from_account, to_account, payee_id, amount, currency, description, created_at';

/** The request's fingerprint: a key reused with anything different is refused, not replayed. */
function fingerprint(request: TransferRequest): string {
  const to = 'accountId' in request.to ? ['account', request.to.accountId] : ['payee', request.to.payeeId];
  const canonical = JSON.stringify([request.fromAccountId, ...to, request.amount, request.description]);
  return createHash('sha256').update(canonical).digest('base64url');
}

async function readTransfer(tx: Queryable, id: string): Promise<Transfer> {
  const { rows } = await tx.query(`SELECT ${TRANSFER_COLUMNS} FROM transfers WHERE id = $1`, [id]);
  return TransferRow.parse(rows[0]);
}

// Claims the key, or returns the earlier outcome. On PostgreSQL a concurrent request with the same
// key waits on the INSERT until the first one commits (then finds its row) or rolls back (then wins).
async function claimKey(tx: Queryable, request: TransferRequest, hash: string, now: number) {
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (owner, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (owner, key) DO NOTHING`,
    [request.owner, request.key, hash, now],
  );
  if (claimed.count === 1) return undefined;
  const { rows } = await tx.query(
    'SELECT request_hash, transfer_id FROM idempotency_keys WHERE owner = $1 AND key = $2',
    [request.owner, request.key],
  );
  const earlier = Claim.parse(rows[0]);
  if (earlier.request_hash !== hash || earlier.transfer_id === null) {
    throw new BankApiError(
      'ERR_IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used for a different request.',
    );
  }
  return readTransfer(tx, earlier.transfer_id);
}

async function destination(tx: Queryable, request: TransferRequest) {
  if ('accountId' in request.to) return { accountId: request.to.accountId, payee: undefined };
  const { rows } = await tx.query('SELECT name FROM payees WHERE id = $1 AND owner = $2', [
    request.to.payeeId,
    request.owner,
  ]);
  if (rows[0] === undefined) throw new BankApiError('ERR_PAYEE_NOT_FOUND', 'No such payee.');
  const payee = { id: request.to.payeeId, name: PayeeName.parse(rows[0]).name };
  return { accountId: BANK_ACCOUNTS.outgoing.id, payee };
}

/**
 * Moves money once per idempotency key, atomically: in one transaction it claims the key, locks the
 * customer accounts (in id order), checks that both are the customer's (or that the payee is), that
 * the currencies match and that the balance covers the amount, and writes a balanced journal entry.
 * A failed transfer leaves nothing behind, not even the key, so it may be retried.
 * Replaying a key returns the first transfer; reusing it for another request is refused.
 *
 * Does not check the assurance level: the route's step-up policy does, before this runs.
 * @throws BankApiError `ERR_IDEMPOTENCY_KEY_REUSED`, `ERR_ACCOUNT_NOT_FOUND`, `ERR_PAYEE_NOT_FOUND`,
 * `ERR_SAME_ACCOUNT`, `ERR_CURRENCY_MISMATCH`, `ERR_INSUFFICIENT_FUNDS`.
 */
export function transfer(db: Db, request: TransferRequest, now: number): Promise<TransferOutcome> {
  const hash = fingerprint(request);
  return db.transaction(async (tx) => {
    const earlier = await claimKey(tx, request, hash, now);
    if (earlier !== undefined) return { transfer: earlier, replayed: true };
    const target = await destination(tx, request);
    const locked = await lockAccounts(tx, [request.fromAccountId, target.accountId]);
    const from = locked.get(request.fromAccountId);
    const to = locked.get(target.accountId);
    if (from === undefined || from.internal || from.owner !== request.owner) {
      throw new BankApiError('ERR_ACCOUNT_NOT_FOUND', 'No such account to pay from.');
    }
    if (to === undefined || (target.payee === undefined && (to.internal || to.owner !== request.owner))) {
      throw new BankApiError('ERR_ACCOUNT_NOT_FOUND', 'No such account to pay into.');
    }
    const id = newId('trf');
    const written = await post(tx, {
      id,
      owner: request.owner,
      kind: target.payee === undefined ? 'transfer' : 'payment',
      from,
      to,
      ...(target.payee === undefined ? {} : { payeeId: target.payee.id }),
      amount: request.amount,
      description: request.description,
      counterparty: { from: target.payee?.name ?? to.name, to: from.name },
      createdAt: now,
    });
    await tx.query('UPDATE idempotency_keys SET transfer_id = $3 WHERE owner = $1 AND key = $2', [
      request.owner,
      request.key,
      id,
    ]);
    return { transfer: written, replayed: false };
  });
}
