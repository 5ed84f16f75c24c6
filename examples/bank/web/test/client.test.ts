// The web client's API calls against the real API: the RFC 9470 challenge goes through
// oauth4webapi's parser (WWWAuthenticateChallengeError) and comes out as a step-up to explain.

import { createTestIssuer } from '@stepup/core/testing';
import { openPglite, startBankApi } from '@stepup-example/api';
import { ACR_HIGH } from '@stepup-example/auth-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, BankApi, SignInRequired, StepUpRequired } from '../src/api/client.js';
import { explain, type PendingAction } from '../src/stepup.js';

const ISSUER = 'http://localhost:4000';
const AUDIENCE = 'http://localhost:4001';

describe('the web client against the API', () => {
  let api: Awaited<ReturnType<typeof startBankApi>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let db: Awaited<ReturnType<typeof openPglite>>;

  beforeAll(async () => {
    issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE });
    db = await openPglite(undefined);
    api = await startBankApi({ port: 0, db, issuer: issuer.config() });
  });
  afterAll(async () => {
    await api.close();
    await db.close();
  });

  const client = (acr: string) =>
    new BankApi(api.url, () =>
      issuer.mint({
        sub: 'web-user',
        acr,
        auth_time: issuer.now() - 10,
        scope: 'accounts:read transfers:write payees:write',
      }),
    );

  it('turns a step-up challenge into StepUpRequired with what to ask the authorization server', async () => {
    const standard = client('urn:stepup:bank:acr:standard');
    const [everyday, savings] = await standard.accounts();
    const request = {
      fromAccountId: savings!.id,
      toAccountId: everyday!.id,
      amount: 500_000,
      description: '',
    };
    const error = await standard.transfer(request, 'web-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepUpRequired);
    const challenge = (error as StepUpRequired).challenge;
    expect(challenge).toEqual({ acrValues: [ACR_HIGH], maxAge: 300, code: 'ERR_ACR_INSUFFICIENT' });
    const action: PendingAction = {
      kind: 'transfer',
      key: 'web-1',
      request,
      currency: 'EUR',
      toName: 'Everyday account',
    };
    expect(explain(action, challenge)).toEqual({
      key: true,
      title: 'Confirm with your security key',
      text: 'Transfers over €1,000.00 need your security key, used in the last 5 minutes. Your passkey alone is not enough for this.',
    });
    // After the step-up, the same key goes through once.
    const high = client(ACR_HIGH);
    const done = await high.transfer(request, 'web-1');
    expect(done).toMatchObject({ status: 'completed', amount: 500_000 });
    expect((await high.transfer(request, 'web-1')).id).toBe(done.id);
  });

  it('reports other failures with the API’s code and message', async () => {
    const standard = client('urn:stepup:bank:acr:standard');
    const [everyday] = await standard.accounts();
    const request = { fromAccountId: everyday!.id, toAccountId: everyday!.id, amount: 1, description: '' };
    await expect(standard.transfer(request, 'web-2')).rejects.toEqual(
      new ApiError(422, 'ERR_SAME_ACCOUNT', 'An account cannot pay itself.'),
    );
    const broken = new BankApi(api.url, async () => 'not-a-token');
    await expect(broken.accounts()).rejects.toBeInstanceOf(SignInRequired);
  });
});
