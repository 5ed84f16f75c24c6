import { z } from 'zod';

export const Account = z.object({
  id: z.string(),
  name: z.string(),
  number: z.string(),
  currency: z.string(),
  balance: z.number().int(),
});
export type Account = z.output<typeof Account>;

export const Transaction = z.object({
  id: z.string(),
  transferId: z.string(),
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  counterparty: z.string(),
  description: z.string(),
  createdAt: z.string(),
});
export type Transaction = z.output<typeof Transaction>;

export const Payee = z.object({
  id: z.string(),
  name: z.string(),
  accountNumber: z.string(),
  createdAt: z.string(),
});
export type Payee = z.output<typeof Payee>;

export const Transfer = z.object({
  id: z.string(),
  status: z.string(),
  fromAccountId: z.string(),
  toAccountId: z.string().nullable(),
  toPayeeId: z.string().nullable(),
  amount: z.number().int(),
  currency: z.string(),
  description: z.string(),
  createdAt: z.string(),
});
export type Transfer = z.output<typeof Transfer>;

/** What `POST /transfers` takes: to one of the customer's accounts or to a payee. */
export const TransferRequest = z.object({
  fromAccountId: z.string(),
  toAccountId: z.string().optional(),
  toPayeeId: z.string().optional(),
  amount: z.number().int().positive(),
  description: z.string(),
});
export type TransferRequest = z.output<typeof TransferRequest>;

export const PayeeRequest = z.object({ name: z.string(), accountNumber: z.string() });
export type PayeeRequest = z.output<typeof PayeeRequest>;

export const AccountList = z.object({ accounts: z.array(Account) });
export const TransactionList = z.object({ transactions: z.array(Transaction) });
export const PayeeList = z.object({ payees: z.array(Payee) });
export const ErrorBody = z.object({ code: z.string(), message: z.string() });
