import { retryTransient } from '@stepup-example/db';
import type express from 'express';
import { Router } from 'express';
import { BankApiError } from '../errors.js';
import { listAccounts, listTransactions } from '../ledger/accounts.js';
import { addPayee, listPayees } from '../ledger/payees.js';
import { transfer } from '../ledger/transfer.js';
import { type BankContext, subjectOf } from './context.js';
import { validate } from './errors.js';
import { HistoryQuery, IdempotencyKey, PayeeBody, TransferBody } from './schemas.js';

function idempotencyKey(header: string | undefined): string {
  if (header === undefined) {
    throw new BankApiError(
      'ERR_IDEMPOTENCY_KEY_MISSING',
      'Send an Idempotency-Key header with every transfer.',
    );
  }
  const parsed = IdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new BankApiError(
      'ERR_IDEMPOTENCY_KEY_INVALID',
      'The Idempotency-Key must be 1 to 255 visible characters.',
    );
  }
  return parsed.data;
}

// Reads run again after any transient database failure; changes only after one that certainly
// rolled them back (a conflict, a connection lost before COMMIT). A change whose outcome is unknown is
// answered 503 ERR_OUTCOME_UNKNOWN: the client's next request with the same Idempotency-Key decides.
const read = <T>(fn: () => Promise<T>) => retryTransient(fn, { idempotent: true });
const change = <T>(fn: () => Promise<T>) => retryTransient(fn, { idempotent: false });

/**
 * The bank's routes. Each one is guarded by its step-up operation (see `policy.ts`) before anything
 * else runs; bodies are parsed before the guard only where the policy reads them.
 */
export function bankRoutes(ctx: BankContext, json: express.RequestHandler): Router {
  const { db, stepUp } = ctx;
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/accounts', stepUp.require('accounts:read'), async (req, res) => {
    const sub = subjectOf(req);
    await ctx.ensureCustomer(sub);
    res.json({ accounts: await read(() => listAccounts(db, sub)) });
  });

  router.get('/accounts/:id/transactions', stepUp.require('accounts:read'), async (req, res) => {
    const { limit } = validate(HistoryQuery, req.query, 'query');
    const sub = subjectOf(req);
    const transactions = await read(() => listTransactions(db, sub, String(req.params.id), limit));
    res.json({ transactions });
  });

  router.get('/payees', stepUp.require('payees:read'), async (req, res) => {
    const sub = subjectOf(req);
    res.json({ payees: await read(() => listPayees(db, sub)) });
  });

  router.post('/payees', json, stepUp.require('payees:create'), async (req, res) => {
    const body = validate(PayeeBody, req.body, 'payee');
    const sub = subjectOf(req);
    await ctx.ensureCustomer(sub);
    const payee = await change(() => addPayee(db, sub, body, ctx.now()));
    ctx.logger.info('payee.added', { sub, payee: payee.id });
    res.status(201).json(payee);
  });

  router.post('/transfers', json, stepUp.require('transfers:create'), async (req, res) => {
    const body = validate(TransferBody, req.body, 'transfer');
    const key = idempotencyKey(req.get('idempotency-key'));
    const sub = subjectOf(req);
    await ctx.ensureCustomer(sub);
    const to = body.toPayeeId === undefined ? { accountId: body.toAccountId! } : { payeeId: body.toPayeeId };
    const request = {
      owner: sub,
      key,
      fromAccountId: body.fromAccountId,
      to,
      amount: body.amount,
      description: body.description,
    };
    const outcome = await change(() => transfer(db, request, ctx.now()));
    if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
    else ctx.logger.info('transfer.completed', { sub, transfer: outcome.transfer.id, amount: body.amount });
    res.status(201).json(outcome.transfer);
  });

  return router;
}
