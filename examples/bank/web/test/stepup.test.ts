// What the web client says about levels and step-ups, from the challenge, the action and the session,
// with the contract's level words.
import { ACR_HIGH, ACR_STANDARD, HIGH_MAX_AGE, payeeNeeds, transferNeeds } from '@stepup-example/contract';
import { describe, expect, it } from 'vitest';
import type { PayeeAction, TransferAction } from '../src/actions.js';
import { moneyFormat } from '../src/money/format-money.js';
import { challengedLevel, explain, levelBadge, notDone, sessionMeets } from '../src/stepup.js';

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
    expect(explain(transfer(500_000), challenge, { money, sessionAcr: ACR_HIGH })).toEqual({
      title: 'Please confirm it’s you',
      text: 'Transfers over €1,000.00 need a recent check with your security key, used in the last 5 minutes.',
      continueLabel: 'Continue with security key',
    });
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
    expect(sessionMeets(transferNeeds(500_000), { acr: ACR_HIGH, authTime }, now)).toBe(true);
    expect(
      sessionMeets(transferNeeds(500_000), { acr: ACR_HIGH, authTime: authTime - HIGH_MAX_AGE }, now),
    ).toBe(false);
    expect(sessionMeets(transferNeeds(500_000), { acr: ACR_HIGH }, now)).toBe(false);
    expect(sessionMeets(payeeNeeds(), { acr: ACR_STANDARD, authTime }, now)).toBe(false);
    expect(sessionMeets(transferNeeds(5_000), { acr: ACR_STANDARD }, now)).toBe(true);
  });
});
