// The contract as data, for clients that cannot import it: the iOS client's XCTest suite reads the JSON
// file written from this (examples/bank/ios/scripts/contract-vectors.mjs), and a Vitest test checks
// that the committed file is what this returns. Every sample is parsed through its schema here, and
// every request's expected verdict is checked against the schema, so the file cannot describe an API
// the schemas would not accept.
import type { z } from 'zod';
import { ErrorBody } from './api/error-body.js';
import { PayeeBody, TransferBody } from './api/requests.js';
import { AccountList, PayeeList, TransactionList, Transfer } from './api/responses.js';
import { BANK_LEVELS } from './levels.js';
import { HIGH_MAX_AGE, HIGH_VALUE_THRESHOLD, MAX_TRANSFER, payeeNeeds, transferNeeds } from './policy.js';

/** A request body and whether the API accepts it. */
interface RequestCase {
  readonly name: string;
  readonly body: unknown;
  readonly valid: boolean;
}

function checked(schema: z.ZodType, cases: readonly RequestCase[]): readonly RequestCase[] {
  for (const c of cases) {
    if (schema.safeParse(c.body).success !== c.valid) {
      throw new Error(`contract vector "${c.name}": expected ${c.valid ? 'valid' : 'invalid'}`);
    }
  }
  return cases;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 9, minute, 0, 120)).toISOString();

const transferRequests: readonly RequestCase[] = [
  {
    name: 'between own accounts',
    body: { fromAccountId: 'acc_everyday', toAccountId: 'acc_savings', amount: 5_000, description: 'Rent' },
    valid: true,
  },
  {
    name: 'to a payee, no reference',
    body: { fromAccountId: 'acc_everyday', toPayeeId: 'pay_water', amount: 150 },
    valid: true,
  },
  {
    name: 'the largest amount',
    body: {
      fromAccountId: 'acc_savings',
      toAccountId: 'acc_everyday',
      amount: MAX_TRANSFER,
      description: '',
    },
    valid: true,
  },
  {
    name: 'amount as a string',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', amount: '500000' },
    valid: false,
  },
  {
    name: 'amount in major units with a fraction',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', amount: 1.5 },
    valid: false,
  },
  {
    name: 'zero',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', amount: 0 },
    valid: false,
  },
  {
    name: 'above the largest amount',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', amount: MAX_TRANSFER + 1 },
    valid: false,
  },
  {
    name: 'both an account and a payee',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', toPayeeId: 'pay_water', amount: 100 },
    valid: false,
  },
  { name: 'no destination', body: { fromAccountId: 'acc_savings', amount: 100 }, valid: false },
  {
    name: 'an unknown field',
    body: { fromAccountId: 'acc_savings', toAccountId: 'acc_everyday', amount: 100, currency: 'EUR' },
    valid: false,
  },
  {
    name: 'a reference over 140 characters',
    body: {
      fromAccountId: 'acc_savings',
      toAccountId: 'acc_everyday',
      amount: 100,
      description: 'x'.repeat(141),
    },
    valid: false,
  },
];

const payeeRequests: readonly RequestCase[] = [
  {
    name: 'an IBAN with spaces',
    body: { name: 'City Water', accountNumber: 'GB29 NWBK 6016 1331 9268 19' },
    valid: true,
  },
  { name: 'an empty name', body: { name: ' ', accountNumber: 'GB29NWBK60161331926819' }, valid: false },
  {
    name: 'punctuation in the number',
    body: { name: 'City Water', accountNumber: 'GB29-NWBK' },
    valid: false,
  },
];

/** The contract vectors: levels, policy thresholds, sample answers, requests with their verdicts, error bodies. */
export function contractVectors() {
  const standard = transferNeeds(HIGH_VALUE_THRESHOLD);
  const high = transferNeeds(HIGH_VALUE_THRESHOLD + 1);
  return {
    $comment:
      'Generated from @stepup-example/contract by examples/bank/ios/scripts/contract-vectors.mjs. Do not edit: change the contract and run the script.',
    levels: BANK_LEVELS.map((l) => ({ ...l })),
    policy: {
      highValueThreshold: HIGH_VALUE_THRESHOLD,
      highMaxAge: HIGH_MAX_AGE,
      maxTransfer: MAX_TRANSFER,
      transfers: [
        { amount: 1, acr: standard.level.acr },
        { amount: HIGH_VALUE_THRESHOLD, acr: standard.level.acr },
        { amount: HIGH_VALUE_THRESHOLD + 1, acr: high.level.acr, maxAge: high.maxAge },
        { amount: MAX_TRANSFER, acr: high.level.acr, maxAge: high.maxAge },
      ],
      payees: { acr: payeeNeeds().level.acr, maxAge: payeeNeeds().maxAge },
    },
    responses: {
      accounts: AccountList.parse({
        accounts: [
          {
            id: 'acc_everyday',
            name: 'Everyday account',
            number: 'SB01 0000 0001',
            currency: 'EUR',
            balance: 260_940,
          },
          {
            id: 'acc_savings',
            name: 'Savings account',
            number: 'SB01 0000 0002',
            currency: 'EUR',
            balance: 1_200_000,
          },
        ],
      }),
      transactions: TransactionList.parse({
        transactions: [
          {
            id: '42',
            transferId: 'trf_b',
            amount: -150,
            balanceAfter: 260_790,
            counterparty: 'City Water',
            description: '',
            createdAt: at(5),
          },
          {
            id: '41',
            transferId: 'trf_a',
            amount: 5_000,
            balanceAfter: 260_940,
            counterparty: 'Savings account',
            description: 'Rent',
            createdAt: at(1),
          },
        ],
      }),
      payees: PayeeList.parse({
        payees: [
          { id: 'pay_water', name: 'City Water', accountNumber: 'GB29NWBK60161331926819', createdAt: at(0) },
        ],
      }),
      transfer: Transfer.parse({
        id: 'trf_a',
        status: 'completed',
        fromAccountId: 'acc_savings',
        toAccountId: 'acc_everyday',
        toPayeeId: null,
        amount: 5_000,
        currency: 'EUR',
        description: 'Rent',
        createdAt: at(1),
      }),
    },
    requests: {
      transfers: checked(TransferBody, transferRequests),
      payees: checked(PayeeBody, payeeRequests),
    },
    errors: [
      {
        name: 'validation',
        status: 400,
        body: ErrorBody.parse({
          code: 'ERR_VALIDATION',
          message: 'The transfer is not valid.',
          details: [{ path: 'amount', message: 'Invalid input: expected number, received string' }],
        }),
      },
      {
        name: 'insufficient funds',
        status: 422,
        body: ErrorBody.parse({
          code: 'ERR_INSUFFICIENT_FUNDS',
          message: 'The balance does not cover this amount.',
        }),
      },
      {
        name: 'step-up (RFC 9470)',
        status: 401,
        body: ErrorBody.parse({
          code: 'ERR_ACR_INSUFFICIENT',
          message: 'A stronger authentication is required (level high)',
          error: 'insufficient_user_authentication',
          error_description: 'A stronger authentication is required (level high)',
          acr_values: high.level.acr,
          max_age: high.maxAge,
        }),
      },
    ],
  };
}

/** The vectors as the committed file holds them: two-space JSON and a final newline. */
export function contractVectorsJson(): string {
  return `${JSON.stringify(contractVectors(), null, 2)}\n`;
}
