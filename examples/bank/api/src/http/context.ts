import type { StepUpExpress } from '@stepup/express';
import { type Db, type Readiness, retryTransient } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import type { Request } from 'express';
import { openCustomer } from '../ledger/customers.js';

/** What the routes share: the database, the step-up adapter, the clock, the logger and readiness. */
export interface BankContext {
  readonly db: Db;
  /** The database and the authorization server's keys, for `GET /health/ready`. */
  readonly readiness: Readiness;
  readonly stepUp: StepUpExpress;
  readonly now: () => number;
  readonly logger: Logger;
  /** Opens a customer's demo accounts the first time their subject is seen. */
  readonly ensureCustomer: (sub: string) => Promise<void>;
}

/** The verified token's subject; only called on routes guarded by `stepUp.require`. */
export function subjectOf(req: Request): string {
  const grant = req.stepUp;
  if (grant === undefined) throw new Error('route not guarded by stepUp.require');
  return grant.token.subject;
}

/**
 * `ensureCustomer` with a bounded memory of subjects already known, so the first request of each
 * customer opens their accounts and later ones cost no query.
 */
export function customerOpener(db: Db, now: () => number, logger: Logger, remember = 10_000) {
  const known = new Set<string>();
  return async (sub: string): Promise<void> => {
    if (known.has(sub)) return;
    // Idempotent (a second run finds the customer), so any transient failure is run again.
    const opened = await retryTransient(() => openCustomer(db, sub, now()), { idempotent: true });
    if (opened) logger.info('customer.opened', { sub });
    if (known.size >= remember) known.clear();
    known.add(sub);
  };
}
