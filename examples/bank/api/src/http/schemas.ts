import { z } from 'zod';

/** Largest single transfer: 1,000,000.00 in minor units. */
export const MAX_TRANSFER = 100_000_000;

const Id = z.string().min(1).max(64);

/** Minor units: a positive integer (no fractions, no strings, no floats). */
export const Amount = z.number().int().positive().max(MAX_TRANSFER);

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
    description: z.string().trim().max(140).default(''),
  })
  .refine((b) => (b.toAccountId === undefined) !== (b.toPayeeId === undefined), {
    message: 'give exactly one of toAccountId and toPayeeId',
    path: ['toAccountId'],
  });
export type TransferBody = z.output<typeof TransferBody>;

/** `POST /payees`. The account number is kept upper-case without spaces. */
export const PayeeBody = z.strictObject({
  name: z.string().trim().min(1).max(70),
  accountNumber: z
    .string()
    .transform((s) => s.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{8,34}$/, 'letters and digits, 8 to 34 of them')),
});

/** `GET /accounts/:id/transactions?limit=`. */
export const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** The `Idempotency-Key` header: 1–255 visible ASCII characters (a UUID, typically). */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/);
