import { z } from 'zod';
import { MAX_TRANSFER } from '../policy.js';

const Id = z.string().min(1).max(64);

/** Minor units: a positive integer (no fractions, no strings, no floats), at most {@link MAX_TRANSFER}. */
export const Amount = z.number().int().positive().max(MAX_TRANSFER);

/** Longest transfer reference, in characters. */
export const MAX_REFERENCE = 140;

/**
 * `POST /transfers`: to one of the customer's accounts (`toAccountId`) or to a payee (`toPayeeId`),
 * exactly one of them. The field names match the iOS client (`TransferDraft`).
 */
export const TransferBody = z
  .strictObject({
    fromAccountId: Id,
    toAccountId: Id.optional(),
    toPayeeId: Id.optional(),
    amount: Amount,
    description: z.string().trim().max(MAX_REFERENCE).default(''),
  })
  .refine((b) => (b.toAccountId === undefined) !== (b.toPayeeId === undefined), {
    message: 'give exactly one of toAccountId and toPayeeId',
    path: ['toAccountId'],
  });
/** A transfer body as the API reads it (reference trimmed, defaulted to `''`). */
export type TransferBody = z.output<typeof TransferBody>;
/** A transfer body as a client sends it. */
export type TransferBodyInput = z.input<typeof TransferBody>;

/** `POST /payees`. The account number is kept upper-case without spaces. */
export const PayeeBody = z.strictObject({
  name: z.string().trim().min(1).max(70),
  accountNumber: z
    .string()
    .transform((s) => s.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{8,34}$/, 'letters and digits, 8 to 34 of them')),
});
/** A payee body as the API reads it (account number normalized). */
export type PayeeBody = z.output<typeof PayeeBody>;
/** A payee body as a client sends it. */
export type PayeeBodyInput = z.input<typeof PayeeBody>;

/** `GET /accounts/:id/transactions?limit=`. */
export const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The `Idempotency-Key` header: 1–255 visible ASCII characters (a UUID, typically). */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/);
