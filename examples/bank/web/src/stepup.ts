import {
  acrSatisfies,
  BANK_LEVELS,
  type BankLevel,
  ELEVATED_THRESHOLD,
  HIGH_VALUE_THRESHOLD,
  type LevelNeed,
  levelOfAcr,
  minorUnits,
  PaymentInitiation,
  requiredAcr,
} from '@stepup-example/contract';
import { z } from 'zod';
import { PendingAction } from './actions.js';
import type { StepUpChallenge } from './api/errors.js';
import { readStored, removeStored, writeStored } from './auth/storage.js';
import type { MoneyFormat } from './money/format-money.js';

// Every word about levels comes from the contract's level table: a level added there is explained
// here without a change.

const StoredPending = z.strictObject({
  action: PendingAction,
  acrValues: z.array(z.string()),
  maxAge: z.number().int().nonnegative().optional(),
  /** The transfer to approve, as the API named it (kept to send it again on *Try again*). */
  authorizationDetails: z.array(PaymentInitiation).min(1).optional(),
  /** Set once the customer went to the authorization server for it. */
  sentAt: z.number().optional(),
});
/** An action waiting for a step-up, with what the challenge asked for. */
export type StoredPending = z.output<typeof StoredPending>;

const KEY = 'bank.pending';

export function savePending(pending: StoredPending): void {
  writeStored(KEY, pending);
}

export function loadPending(): StoredPending | undefined {
  return readStored(KEY, StoredPending);
}

export function clearPending(): void {
  removeStored(KEY);
}

/** "your transfer of €5,000.00 to Savings account", "adding Jo Doe as a payee". */
export function describeAction(action: PendingAction, money: MoneyFormat): string {
  if (action.kind === 'payee') return `adding ${action.request.name} as a payee`;
  return `your transfer of ${money(action.request.amount, action.currency)} to ${action.toName}`;
}

/** The same, starting a sentence. */
export function describeActionSentence(action: PendingAction, money: MoneyFormat): string {
  const text = describeAction(action, money);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Your transfer of €5,000.00 to Savings account was not sent." */
export function notDone(action: PendingAction, money: MoneyFormat): string {
  return `${describeActionSentence(action, money)} was not ${action.kind === 'transfer' ? 'sent' : 'done'}.`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m <= 1 ? 'the last minute' : `the last ${m} minutes`;
}

/** The level a challenge asks for: the lowest of its acr values the bank knows; the session's own when it names none. */
export function challengedLevel(
  challenge: StepUpChallenge,
  sessionAcr: string | undefined,
): BankLevel | undefined {
  if (challenge.acrValues.length === 0) return levelOfAcr(sessionAcr);
  const required = requiredAcr(challenge.acrValues.join(' '));
  return required.unmet ? undefined : levelOfAcr(required.acr);
}

/** What a step-up dialog says, and the label of its button. */
export interface Explanation {
  readonly title: string;
  readonly text: string;
  readonly continueLabel: string;
}

// What asks for the level, in words: the threshold a transfer is over, a new payee, or the action.
function subject(action: PendingAction, level: BankLevel | undefined, money: MoneyFormat) {
  if (action.kind === 'payee') return { what: 'Adding a new payee', plural: false };
  const { amount } = action.request;
  if (level?.level === 'high' && amount > HIGH_VALUE_THRESHOLD) {
    return { what: `Transfers over ${money(HIGH_VALUE_THRESHOLD, action.currency)}`, plural: true };
  }
  if (level?.level === 'high')
    return { what: 'Payments to a payee added in the last 24 hours', plural: true };
  if (level?.level === 'elevated' && amount > ELEVATED_THRESHOLD) {
    return { what: `Transfers over ${money(ELEVATED_THRESHOLD, action.currency)}`, plural: true };
  }
  return { what: 'This transfer', plural: false };
}

/**
 * Why the bank asks for more, in plain words, from the challenge, the action that caused it and how
 * the session signed in: "Transfers over €1,000.00 need your passkey and one-time code, used in the
 * last 5 minutes. Your passkey alone is not enough for this." A challenge that names the transfer to
 * approve says so: every transfer over the threshold is approved on its own, whatever the session.
 */
export function explain(
  action: PendingAction,
  challenge: StepUpChallenge,
  context: { money: MoneyFormat; sessionAcr: string | undefined },
): Explanation {
  const level = challengedLevel(challenge, context.sessionAcr);
  const { what, plural } = subject(action, level, context.money);
  const need = plural ? 'need' : 'needs';
  const recent = challenge.maxAge === undefined ? '' : `, used in ${minutes(challenge.maxAge)}`;
  if (level === undefined) {
    return {
      title: 'A different sign-in is needed',
      text: `${what} ${need} a kind of sign-in this app does not know. The bank’s sign-in page will say what it takes.`,
      continueLabel: 'Continue',
    };
  }
  const bound = challenge.authorizationDetails !== undefined;
  if (acrSatisfies(context.sessionAcr, level.acr)) {
    // The level is there already: only the approval, or the sign-in's age, is missing.
    return bound
      ? {
          title: 'Approve this transfer',
          text: `${what} ${need} an approval of their own with your ${level.credential}: the bank shows you the amount and the payee, and you confirm exactly that.`,
          continueLabel: `Approve with ${level.credential}`,
        }
      : {
          title: 'Please confirm it’s you',
          text: `${what} ${need} a recent check with your ${level.credential}${recent}.`,
          continueLabel: `Continue with ${level.credential}`,
        };
  }
  if (level === BANK_LEVELS[0]) {
    return {
      title: 'Please sign in again',
      text: `${what} ${need} a sign-in${recent}.`,
      continueLabel: 'Continue',
    };
  }
  const current = levelOfAcr(context.sessionAcr);
  const alone = current === undefined ? '' : ` Your ${current.credential} alone is not enough for this.`;
  return {
    title: `Confirm with your ${level.credential}`,
    text: `${what} ${need} your ${level.credential}${recent}.${alone}`,
    continueLabel: `Continue with ${level.credential}`,
  };
}

/** "€1,500.00 to City Water (GB29 NWBK 6016 1331 9268 19)": a transfer being approved, in words. */
export function describeApproval(detail: PaymentInitiation, money: MoneyFormat): string {
  const amount = money(minorUnits(detail.instructedAmount.amount), detail.instructedAmount.currency);
  const account = detail.creditorAccount.iban.replace(/(.{4})(?=.)/g, '$1 ');
  return `${amount} to ${detail.creditorName} (${account})`;
}

/** The session's level for the header: "Security key · High level", and what the level lets one do. */
export function levelBadge(acr: string | undefined): { label: string; level: string; description: string } {
  const level = levelOfAcr(acr);
  if (level === undefined) {
    return {
      label: 'Unknown level',
      level: 'unknown',
      description:
        'This sign-in has a level this app does not know; the bank will ask again when it needs to.',
    };
  }
  return {
    label: `${capitalized(level.credential)} · ${level.name} level`,
    level: level.level,
    description: `${level.name} level — ${level.description}`,
  };
}

/**
 * Whether the session already meets `need` (so the API will not ask): its level is high enough and,
 * when the need has a maximum age, its sign-in (`authTime`, epoch seconds) is recent enough at `now` (ms).
 * Only for what the app says in advance; the API decides.
 */
export function sessionMeets(
  need: LevelNeed,
  session: { acr?: string | undefined; authTime?: number | undefined },
  now: number,
): boolean {
  if (!acrSatisfies(session.acr, need.level.acr)) return false;
  if (need.maxAge === undefined) return true;
  return session.authTime !== undefined && now / 1000 - session.authTime <= need.maxAge;
}
