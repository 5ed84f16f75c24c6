import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';

/** A transfer a client was answered 2xx for: its key must lead to exactly this transfer. */
export interface AcknowledgedTransfer {
  readonly owner: string;
  readonly key: string;
  readonly transferId: string;
}

/** What {@link auditLedger} found; every list is empty in an exact ledger. */
export interface LedgerAudit {
  /** Journal entries (transfers of every kind). */
  readonly transfers: number;
  /** Transfers without exactly one debit of `-amount` on `from` and one credit of `amount` on `to`. */
  readonly unbalancedTransfers: readonly string[];
  /** Sum of every posting: 0 when no money was created or destroyed. */
  readonly postingsTotal: number;
  /** Sum of the customers' balances (compare it with the figure before a run). */
  readonly customersTotal: number;
  /** Customer accounts whose stored balance is not the sum of their postings. */
  readonly mismatchedBalances: readonly string[];
  /** Customer accounts below zero. */
  readonly negativeBalances: readonly string[];
  /** Idempotency keys kept without a transfer (a claim that should have rolled back with it). */
  readonly keysWithoutTransfer: readonly string[];
  /** Transfers that two keys lead to. */
  readonly transfersWithSeveralKeys: readonly string[];
  /** Customer transfers (`transfer`, `payment`) that no key leads to. */
  readonly transfersWithoutKey: readonly string[];
  /** Acknowledged transfers whose key is missing or leads to another transfer (`found`). */
  readonly lostAcknowledged: readonly (AcknowledgedTransfer & { readonly found: string | null })[];
}

const Id = z.object({ id: z.string() });
const Figures = z.object({ transfers: z.number(), postings: z.number(), customers: z.number() });
const KeyRow = z.object({ owner: z.string(), key: z.string(), transfer_id: z.string().nullable() });

// The invariants, one statement each. Kept here once: the API tests, the fault-injection suite and
// `npm run bench:bank` all read the ledger through this module.
const SQL = {
  unbalanced: `SELECT t.id FROM transfers t LEFT JOIN postings p ON p.transfer_id = t.id
    GROUP BY t.id, t.amount, t.from_account, t.to_account
    HAVING COUNT(p.id) <> 2
      OR COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = t.from_account), 0) <> -t.amount
      OR COALESCE(SUM(p.amount) FILTER (WHERE p.account_id = t.to_account), 0) <> t.amount
    ORDER BY t.id`,
  figures: `SELECT (SELECT COUNT(*) FROM transfers)::bigint AS transfers,
      (SELECT COALESCE(SUM(amount), 0) FROM postings)::bigint AS postings,
      (SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE NOT internal)::bigint AS customers`,
  mismatched: `SELECT a.id FROM accounts a LEFT JOIN postings p ON p.account_id = a.id
    WHERE NOT a.internal GROUP BY a.id, a.balance
    HAVING a.balance IS DISTINCT FROM COALESCE(SUM(p.amount), 0)::bigint ORDER BY a.id`,
  negative: 'SELECT id FROM accounts WHERE balance < 0 ORDER BY id',
  keyless: `SELECT owner || ' ' || key AS id FROM idempotency_keys WHERE transfer_id IS NULL ORDER BY 1`,
  sharedTransfer: `SELECT transfer_id AS id FROM idempotency_keys WHERE transfer_id IS NOT NULL
    GROUP BY transfer_id HAVING COUNT(*) > 1 ORDER BY 1`,
  withoutKey: `SELECT t.id FROM transfers t
    WHERE t.kind IN ('transfer', 'payment')
      AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.transfer_id = t.id) ORDER BY t.id`,
  acknowledged: `SELECT a.owner, a.key, k.transfer_id
    FROM unnest($1::text[], $2::text[]) AS a(owner, key)
    LEFT JOIN idempotency_keys k ON k.owner = a.owner AND k.key = a.key`,
};

async function ids(db: Queryable, sql: string): Promise<string[]> {
  return (await db.query(sql)).rows.map((row) => Id.parse(row).id);
}

async function lostAcknowledged(db: Queryable, acknowledged: readonly AcknowledgedTransfer[]) {
  if (acknowledged.length === 0) return [];
  const { rows } = await db.query(SQL.acknowledged, [
    acknowledged.map((a) => a.owner),
    acknowledged.map((a) => a.key),
  ]);
  const found = new Map(
    rows.map((row) => KeyRow.parse(row)).map((r) => [`${r.owner} ${r.key}`, r.transfer_id]),
  );
  return acknowledged
    .map((a) => ({ ...a, found: found.get(`${a.owner} ${a.key}`) ?? null }))
    .filter((a) => a.found !== a.transferId);
}

/**
 * Reads the ledger's invariants straight from the database: every transfer two postings that move its
 * amount from one account to the other, every customer balance equal to its postings and not negative,
 * all postings summing to zero, and the idempotency keys: none without its transfer, no transfer behind
 * two keys, no customer transfer without one, and every `acknowledged` key leading to the very transfer
 * its client was answered. Read-only; run it on a quiet ledger (a run in progress can look unbalanced).
 *
 * @example
 * const audit = await auditLedger(db, { acknowledged });
 * expect(ledgerViolations(audit)).toEqual([]);
 */
export async function auditLedger(
  db: Queryable,
  options: { readonly acknowledged?: readonly AcknowledgedTransfer[] } = {},
): Promise<LedgerAudit> {
  const figures = Figures.parse((await db.query(SQL.figures)).rows[0]);
  return {
    transfers: figures.transfers,
    unbalancedTransfers: await ids(db, SQL.unbalanced),
    postingsTotal: figures.postings,
    customersTotal: figures.customers,
    mismatchedBalances: await ids(db, SQL.mismatched),
    negativeBalances: await ids(db, SQL.negative),
    keysWithoutTransfer: await ids(db, SQL.keyless),
    transfersWithSeveralKeys: await ids(db, SQL.sharedTransfer),
    transfersWithoutKey: await ids(db, SQL.withoutKey),
    lostAcknowledged: await lostAcknowledged(db, options.acknowledged ?? []),
  };
}

/**
 * The audit's findings as sentences, empty for an exact ledger; `customersTotalBefore`, when given,
 * also requires the customers' total to be unchanged (true when every transfer stayed between customers).
 */
export function ledgerViolations(audit: LedgerAudit, customersTotalBefore?: number): string[] {
  const list = (what: string, items: readonly unknown[]) =>
    items.length === 0 ? [] : [`${what}: ${items.length} (${items.slice(0, 5).map(String).join(', ')})`];
  return [
    ...list('transfers without two balanced postings', audit.unbalancedTransfers),
    ...(audit.postingsTotal === 0 ? [] : [`postings sum to ${audit.postingsTotal}, not 0`]),
    ...(customersTotalBefore === undefined || customersTotalBefore === audit.customersTotal
      ? []
      : [`customers' total ${customersTotalBefore} became ${audit.customersTotal}`]),
    ...list('balances that are not the sum of their postings', audit.mismatchedBalances),
    ...list('negative balances', audit.negativeBalances),
    ...list('keys without a transfer', audit.keysWithoutTransfer),
    ...list('transfers behind two keys', audit.transfersWithSeveralKeys),
    ...list('customer transfers without a key', audit.transfersWithoutKey),
    ...list(
      'acknowledged transfers lost or replaced',
      audit.lostAcknowledged.map((a) => `${a.key}→${a.found ?? 'none'}`),
    ),
  ];
}
