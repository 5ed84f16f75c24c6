import { PayeeBody, TransferBody } from '@stepup-example/contract';
import { z } from 'zod';

/**
 * What the customer asked for, as it is sent and, while a step-up is under way, kept in this tab's
 * sessionStorage. A transfer keeps its idempotency key: every attempt sends the same key, so the API
 * moves the money at most once whatever happens in between.
 */
export const TransferAction = z.strictObject({
  kind: z.literal('transfer'),
  key: z.string().min(1),
  request: TransferBody,
  currency: z.string(),
  /** e.g. "Savings account"; for the messages. */
  toName: z.string(),
});
export type TransferAction = z.output<typeof TransferAction>;

/** Adding a payee (which needs the high level). */
export const PayeeAction = z.strictObject({ kind: z.literal('payee'), request: PayeeBody });
export type PayeeAction = z.output<typeof PayeeAction>;

/** A transfer or a new payee. */
export const PendingAction = z.discriminatedUnion('kind', [TransferAction, PayeeAction]);
export type PendingAction = z.output<typeof PendingAction>;
