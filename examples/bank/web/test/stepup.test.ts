// What the web client says about levels and step-ups, from the challenge, the action and the session,
// with the contract's level words.
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD, payeeNeeds, STEP_UP_MAX_AGE } from '@stepup-example/contract';
import { describe, expect, it } from 'vitest';
import type { PayeeAction, TransferAction } from '../src/actions.js';
import { moneyFormat } from '../src/money/format-money.js';
import {
  challengedLevel,
  describeApproval,
  explain,
  levelBadge,
  notDone,
  sessionMeets,
} from '../src/stepup.js';

const money = moneyFormat('en-US');
const transfer = (amount: number): TransferAction => ({
  kind: 'transfer',
  key: 'k',
  request: { fromAccountId: 'a', toAccountId: 'b', amount, description: '' },
  currency: 'EUR',
  toName: 'Savings account',
});
const payee: PayeeAction = {
  kind: 'payee',
  request: { name: 'Jo Doe', accountNumber: 'GB29NWBK60161331926819' },
};

describe('explain', () => {
  it('names the level the challenge asks for, and what the session lacks', () => {
    const challenge = { acrValues: ['urn:other', ACR_HIGH], maxAge: 300 };
    expect(explain(payee, challenge, { money, sessionAcr: ACR_STANDARD })).toEqual({
      title: 'Confirm with your security key',
      text: 'Adding a new payee needs your security key, used in the last 5 minutes. Your passkey alone is not enough for this.',
      continueLabel: 'Continue with security key',
    });
  });

  it('asks only for a recent check when the session has the level already', () => {
    const challenge = { acrValues: [ACR_HIGH], maxAge: 300, code: 'ERR_AUTH_TIME_TOO_OLD' };
    expect(explain(payee, challenge, { money, sessionAcr: ACR_HIGH })).toEqual({
      title: 'Please confirm it’s you',
      text: 'Adding a new payee needs a recent check with your security key, used in the last 5 minutes.',
      continueLabel: 'Continue with security key',
    });
  });

  const detail = {
    type: 'payment_initiation' as const,
    instructedAmount: { currency: 'EUR', amount: '15000.00' },
    creditorName: 'City Water',
    creditorAccount: { iban: 'GB29NWBK60161331926819' },
  };

  it('names each rung of the ladder for what asks for it: the elevated and high thresholds, a new payee', () => {
    const elevated = { acrValues: [ACR_ELEVATED, ACR_HIGH], maxAge: 300 };
    expect(explain(transfer(500_000), elevated, { money, sessionAcr: ACR_STANDARD }).text).toBe(
      'Transfers over €1,000.00 need your passkey and one-time code, used in the last 5 minutes. Your passkey alone is not enough for this.',
    );
    const high = { acrValues: [ACR_HIGH], maxAge: 300 };
    expect(explain(transfer(1_500_000), high, { money, sessionAcr: ACR_ELEVATED }).text).toBe(
      'Transfers over €10,000.00 need your security key, used in the last 5 minutes. Your passkey and one-time code alone is not enough for this.',
    );
    expect(explain(transfer(100), high, { money, sessionAcr: ACR_STANDARD }).text).toBe(
      'Payments to a payee added in the last 24 hours need your security key, used in the last 5 minutes. Your passkey alone is not enough for this.',
    );
  });

  it('asks to approve the transfer itself when the session has the level but not the approval', () => {
    const challenge = { acrValues: [ACR_HIGH], maxAge: 300, authorizationDetails: [detail] };
    expect(explain(transfer(1_500_000), challenge, { money, sessionAcr: ACR_HIGH })).toEqual({
      title: 'Approve this transfer',
      text: 'Transfers over €10,000.00 need an approval of their own with your security key: the bank shows you the amount and the payee, and you confirm exactly that.',
      continueLabel: 'Approve with security key',
    });
    expect(describeApproval(detail, money)).toBe('€15,000.00 to City Water (GB29 NWBK 6016 1331 9268 19)');
    expect(describeApproval(detail, moneyFormat('de-DE'))).toBe(
      '15.000,00\u00a0€ to City Water (GB29 NWBK 6016 1331 9268 19)',
    );
  });

  it('asks to sign in again for the lowest level, and says "this transfer" below the threshold', () => {
    expect(
      explain(transfer(5_000), { acrValues: [ACR_STANDARD], maxAge: 60 }, { money, sessionAcr: undefined }),
    ).toEqual({
      title: 'Please sign in again',
      text: 'This transfer needs a sign-in, used in the last minute.',
      continueLabel: 'Continue',
    });
  });

  it('stays neutral about a level it does not know, and still lets the customer go on', () => {
    expect(
      explain(transfer(5_000), { acrValues: ['urn:elsewhere:gold'] }, { money, sessionAcr: ACR_HIGH }),
    ).toEqual({
      title: 'A different sign-in is needed',
      text: 'This transfer needs a kind of sign-in this app does not know. The bank’s sign-in page will say what it takes.',
      continueLabel: 'Continue',
    });
  });

  it('reads a challenge without acr_values as the session’s own level, again', () => {
    expect(challengedLevel({ acrValues: [], maxAge: 300 }, ACR_HIGH)?.level).toBe('high');
    expect(challengedLevel({ acrValues: [`${ACR_HIGH}`, ACR_STANDARD] }, ACR_HIGH)?.level).toBe('standard');
  });

  it('says what was not done, in the customer’s locale', () => {
    expect(notDone(transfer(500_000), moneyFormat('de-DE'))).toBe(
      'Your transfer of 5.000,00\u00a0€ to Savings account was not sent.',
    );
    expect(notDone(payee, money)).toBe('Adding Jo Doe as a payee was not done.');
  });
});

describe('levelBadge', () => {
  it('says the credential and the level, and what the level is for', () => {
    expect(levelBadge(ACR_HIGH)).toMatchObject({ label: 'Security key · High level', level: 'high' });
    expect(levelBadge(ACR_STANDARD).description).toMatch(/^Standard level — Everyday banking/);
    expect(levelBadge('urn:other')).toMatchObject({ label: 'Unknown level', level: 'unknown' });
  });
});

describe('sessionMeets', () => {
  const now = 1_800_000_000_000;
  const authTime = now / 1000 - 100;
  it('needs the level and, when the need has one, a recent enough sign-in', () => {
    expect(sessionMeets(payeeNeeds(), { acr: ACR_HIGH, authTime }, now)).toBe(true);
    expect(sessionMeets(payeeNeeds(), { acr: ACR_HIGH, authTime: authTime - STEP_UP_MAX_AGE }, now)).toBe(
      false,
    );
    expect(sessionMeets(payeeNeeds(), { acr: ACR_HIGH }, now)).toBe(false);
    expect(sessionMeets(payeeNeeds(), { acr: ACR_STANDARD, authTime }, now)).toBe(false);
  });
});
