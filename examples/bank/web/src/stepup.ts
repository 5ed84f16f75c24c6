import { z } from 'zod';
// The acr values and their names in words come from the authorization server's one definition.
import { ACR_HIGH, isBankAcr, LEVEL_WORDS } from '../../auth-server/src/assurance.js';
import type { StepUpChallenge } from './api/client.js';
import { PayeeRequest, TransferRequest } from './api/types.js';
import { readStored, removeStored, writeStored } from './auth/storage.js';
import { formatMoney } from './money.js';

/**
 * An action waiting for a step-up. A transfer keeps its idempotency key: the retry after the step-up
 * sends the same key, so the API moves the money at most once whatever happens in between.
 */
export const PendingAction = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transfer'),
    key: z.string(),
    request: TransferRequest,
    currency: z.string(),
    /** e.g. "Savings account"; for the messages. */
    toName: z.string(),
  }),
  z.object({ kind: z.literal('payee'), request: PayeeRequest }),
]);
export type PendingAction = z.output<typeof PendingAction>;

const Pending = z.object({
  action: PendingAction,
  acrValues: z.array(z.string()),
  maxAge: z.number().optional(),
  /** Set once the customer went to the authorization server for it. */
  sentAt: z.number().optional(),
});
export type Pending = z.output<typeof Pending>;

const KEY = 'bank.pending';

export function savePending(pending: Pending): void {
  writeStored(KEY, pending);
}

export function loadPending(): Pending | undefined {
  return readStored(KEY, Pending);
}

export function clearPending(): void {
  removeStored(KEY);
}

/** "your transfer of €5,000.00 to Savings account", "adding Jo Doe as a payee". */
export function describeAction(action: PendingAction): string {
  if (action.kind === 'payee') return `adding ${action.request.name} as a payee`;
  return `your transfer of ${formatMoney(action.request.amount, action.currency)} to ${action.toName}`;
}

/** The same, starting a sentence. */
export function describeActionSentence(action: PendingAction): string {
  const text = describeAction(action);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m <= 1 ? 'the last minute' : `the last ${m} minutes`;
}

/**
 * Why the bank asks for more, in plain words, from the challenge and the action that caused it:
 * "Transfers over €1,000.00 need your security key, used in the last 5 minutes."
 */
export function explain(
  action: PendingAction,
  challenge: StepUpChallenge,
): { title: string; text: string; key: boolean } {
  const high = challenge.acrValues.includes(ACR_HIGH);
  const recent = challenge.maxAge === undefined ? '' : `, used in ${minutes(challenge.maxAge)}`;
  const what =
    action.kind === 'payee'
      ? 'Adding a new payee'
      : `Transfers over ${formatMoney(100_000, action.currency)}`;
  if (challenge.code === 'ERR_AUTH_TIME_TOO_OLD') {
    return {
      key: high,
      title: 'Please confirm it’s you',
      text: `${what} need${action.kind === 'payee' ? 's' : ''} a recent check with your security key. Your last one was more than ${challenge.maxAge === undefined ? 'a few' : Math.round(challenge.maxAge / 60)} minutes ago.`,
    };
  }
  if (high) {
    return {
      key: true,
      title: 'Confirm with your security key',
      text: `${what} need${action.kind === 'payee' ? 's' : ''} your security key${recent}. Your passkey alone is not enough for this.`,
    };
  }
  return {
    key: false,
    title: 'Please sign in again',
    text: `${what} need${action.kind === 'payee' ? 's' : ''} a recent sign-in${recent}.`,
  };
}

/** The level of a sign-in in words: "High" for a security key, "Standard" for a passkey. */
export function levelName(acr: string | undefined): { name: string; high: boolean } {
  if (!isBankAcr(acr)) return { name: 'Unknown', high: false };
  return { name: LEVEL_WORDS[acr].name, high: acr === ACR_HIGH };
}
