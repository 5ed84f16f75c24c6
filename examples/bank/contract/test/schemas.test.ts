import { describe, expect, it } from 'vitest';
import { ErrorBody, MAX_TRANSFER, PayeeBody, TransferBody, WebConfig } from '../src/index.js';

describe('the request schemas', () => {
  const base = { fromAccountId: 'acc_a', toAccountId: 'acc_b', amount: 150 };

  it('read a transfer with a trimmed, defaulted reference', () => {
    expect(TransferBody.parse(base)).toEqual({ ...base, description: '' });
    expect(TransferBody.parse({ ...base, description: '  Rent ' }).description).toBe('Rent');
  });

  it('refuse amounts that are not positive integer minor units up to the maximum', () => {
    for (const amount of ['150', 1.5, 0, -1, MAX_TRANSFER + 1, Number.NaN, null]) {
      expect(TransferBody.safeParse({ ...base, amount }).success).toBe(false);
    }
    expect(TransferBody.safeParse({ ...base, amount: MAX_TRANSFER }).success).toBe(true);
  });

  it('want exactly one destination and no other field', () => {
    expect(TransferBody.safeParse({ fromAccountId: 'acc_a', amount: 1 }).success).toBe(false);
    expect(TransferBody.safeParse({ ...base, toPayeeId: 'pay_1' }).success).toBe(false);
    expect(TransferBody.safeParse({ ...base, currency: 'EUR' }).success).toBe(false);
  });

  it('keep a payee’s account number upper-case without spaces', () => {
    expect(PayeeBody.parse({ name: ' Jo ', accountNumber: 'gb29 nwbk 6016' })).toEqual({
      name: 'Jo',
      accountNumber: 'GB29NWBK6016',
    });
    expect(PayeeBody.safeParse({ name: 'Jo', accountNumber: 'GB29-NWBK' }).success).toBe(false);
  });
});

describe('the error body', () => {
  it('has a code and a message, validation details, and the RFC 9470 fields of a step-up', () => {
    expect(ErrorBody.safeParse({ code: 'ERR_BUSY', message: 'Try again.' }).success).toBe(true);
    const stepUp = {
      code: 'ERR_ACR_INSUFFICIENT',
      message: 'A stronger authentication is required',
      error: 'insufficient_user_authentication',
      error_description: 'A stronger authentication is required',
      acr_values: 'urn:stepup:bank:acr:high',
      max_age: 300,
    };
    expect(ErrorBody.parse(stepUp)).toEqual(stepUp);
  });

  it('has nothing else, and a code of the one form', () => {
    for (const body of [
      { code: 'ERR_BUSY', message: 'x', stack: 'at …' },
      { code: 'busy', message: 'x' },
      { code: 'ERR_BUSY' },
      { code: 'ERR_BUSY', message: '' },
      { code: 'ERR_VALIDATION', message: 'x', details: [{ path: 'amount' }] },
    ]) {
      expect(ErrorBody.safeParse(body).success).toBe(false);
    }
  });
});

describe('the web config', () => {
  const config = {
    issuer: 'http://localhost:4000',
    clientId: 'bank-web',
    apiUrl: 'http://localhost:4001',
    apiResource: 'http://localhost:4001',
    scope: 'openid accounts:read',
  };

  it('is five fields', () => {
    expect(WebConfig.parse(config)).toEqual(config);
    expect(WebConfig.safeParse({ ...config, extra: 1 }).success).toBe(false);
    expect(WebConfig.safeParse({ ...config, issuer: 'javascript:alert(1)' }).success).toBe(false);
    expect(WebConfig.safeParse({ ...config, scope: 'openid  two-spaces' }).success).toBe(false);
  });
});
