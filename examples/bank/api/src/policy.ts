import type {
  AuditEvent,
  DpopOptions,
  LevelOptions,
  MetadataOptions,
  Requirement,
  RequirementFn,
  TransactionsOptions,
} from '@stepup/core';
import { createPostgresReplayStore } from '@stepup/core/stores';
import {
  API_SCOPES,
  DPOP_ALGORITHMS,
  isNewPayee,
  BANK_LEVELS as LEVELS,
  type LevelNeed,
  payeeNeeds,
  paymentDetail,
  transferNeeds,
} from '@stepup-example/contract';
import { type Db, retryTransient } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import { IdempotencyKey, TransferBody } from './http/schemas.js';
import { transferParties } from './ledger/parties.js';

export { ELEVATED_THRESHOLD, HIGH_VALUE_THRESHOLD, STEP_UP_MAX_AGE } from '@stepup-example/contract';

/** The bank's levels, weakest first, with the authorization server's acr values (from the contract). */
export const BANK_LEVELS: LevelOptions[] = LEVELS.map((l) => ({ name: l.level, acr: [l.acr] }));

/**
 * The table of the single uses (`migrations/0002_stepup_replay.sql`): the transfer approvals', and the
 * DPoP proofs' `jti`s (the core's keys of the two never meet).
 */
export const REPLAY_TABLE = 'stepup_replay';

/** The contract's need as a `@stepup/core` requirement, with the route's scope. */
function requirement(needs: LevelNeed, scope: string): Requirement {
  return { level: needs.level.level, ...(needs.maxAge === undefined ? {} : { maxAge: needs.maxAge }), scope };
}

const SCOPE = 'transfers:write';
const header = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : undefined;

/**
 * The requirement of `POST /transfers`, from the request and the bank's own data (the contract's
 * `transferNeeds`): standard up to 1,000.00; elevated up to 10,000.00; high above, or to a payee added
 * in the last 24 hours — each step-up with a sign-in of the last five minutes and an approval of
 * exactly this transfer (RFC 9396 `payment_initiation`: the amount in the source account's currency,
 * the payee's name and account number as the bank stores them), used once, its Idempotency-Key as the
 * fingerprint of that use. The body and the key are read with the schemas the route validates with,
 * and the accounts with the customer's own; a request the route will refuse anyway (400, 404) gets the
 * standard requirement without a transaction, so it never uses an approval up.
 */
export function transferRequirement(deps: { db: Db; now: () => number }): RequirementFn {
  return async ({ request, token }) => {
    const body = TransferBody.safeParse(request.body);
    const key = IdempotencyKey.safeParse(header(request.headers['idempotency-key']));
    if (!body.success || !key.success) return { level: 'standard', scope: SCOPE };
    const { amount } = body.data;
    const parties = await retryTransient(() => transferParties(deps.db, token.subject, body.data), {
      idempotent: true,
    });
    if (parties === undefined) return { level: 'standard', scope: SCOPE };
    const newPayee = parties.payeeAddedAt !== undefined && isNewPayee(parties.payeeAddedAt, deps.now());
    const needs = transferNeeds(amount, { newPayee });
    if (!needs.bound) return requirement(needs, SCOPE);
    // Every payee and account the API stores fits the detail's schema (PayeeBody is as strict).
    const detail = paymentDetail({
      amount,
      currency: parties.currency,
      creditorName: parties.creditor.name,
      account: parties.creditor.account,
    });
    return {
      ...requirement(needs, SCOPE),
      transaction: { authorizationDetails: [detail], idempotencyKey: key.data },
    };
  };
}

/**
 * Logs each use of a transfer approval: who, for which operation, and the approved details (the audit
 * hook receives those, never the token).
 */
function auditApprovals(logger: Logger): (event: AuditEvent) => void {
  return (event) => {
    if (event.authorizationDetails === undefined) return;
    logger.info('transfer.approval', {
      sub: event.sub,
      operation: event.operation,
      outcome: event.outcome,
      acr: event.acr,
      authorizationDetails: event.authorizationDetails,
    });
  };
}

/** What {@link bankPolicy} needs. */
export interface BankPolicyDeps {
  readonly db: Db;
  readonly now: () => number;
  readonly logger: Logger;
  /** The API's public origin, the `htu` of DPoP proofs (configuration: never the request's `Host`). */
  readonly origin: string;
  /** The resource identifier (the tokens' `aud`) and its authorization server, for RFC 9728 metadata. */
  readonly resource: string;
}

/**
 * The bank's step-up policy for `@stepup/express`: the levels, every route's requirement by operation
 * name, DPoP required (RFC 9449: every token bound to the client's key, `cnf.jkt`, each request with a
 * fresh proof for `origin`, ES256 only as the authorization server issues them), the RFC 9728 metadata,
 * and one replay store in the API's own database for both single uses, the proofs' `jti`s and the
 * transfer approvals (`createPostgresReplayStore` on the table of migration 0002, on PGlite and
 * PostgreSQL alike, so that every API instance sharing the database accepts a proof and an approval
 * once), with the API's clock. No DPoP nonces: the replay store already makes each proof single-use,
 * and the short `proofMaxAge` (the core's 300 s) bounds a proof made in advance.
 */
export function bankPolicy(deps: BankPolicyDeps): {
  levels: LevelOptions[];
  operations: Record<string, Requirement | RequirementFn>;
  transactions: TransactionsOptions;
  dpop: DpopOptions;
  metadata: MetadataOptions;
  audit: (event: AuditEvent) => void;
} {
  const store = createPostgresReplayStore({ client: deps.db, table: REPLAY_TABLE, now: deps.now });
  return {
    levels: BANK_LEVELS,
    operations: {
      'accounts:read': { level: 'standard', scope: 'accounts:read' },
      'payees:read': { level: 'standard', scope: 'accounts:read' },
      'payees:create': requirement(payeeNeeds(), 'payees:write'),
      'transfers:create': transferRequirement(deps),
    },
    transactions: { store },
    dpop: { origin: deps.origin, algorithms: [...DPOP_ALGORITHMS], required: true, replayStore: store },
    metadata: { resource: deps.resource, scopesSupported: [...API_SCOPES], resourceName: 'Stepup Bank API' },
    audit: auditApprovals(deps.logger),
  };
}
