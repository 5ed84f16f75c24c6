import { type Decision, readAuthorizationChallenge } from '@stepup/core';
import type { TestIssuer } from '@stepup/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { paymentDetail } from './conformance/setup.js';
import { IBAN_A } from './conformance/transactions.js';
import { ACR, engine, issuer, NOW } from './helpers.js';
import { parseWithOauth4webapi } from './oauth4webapi.js';

const A = paymentDetail('1500.00', 'EUR', IBAN_A);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

let as: TestIssuer;
beforeAll(async () => {
  as = await issuer();
});

/** The denial of a transfer of `detail` for a token carrying `claims`. */
async function denial(detail: Record<string, unknown>, claims: Record<string, unknown>) {
  const stepUp = engine(as, {
    realm: 'bank',
    operations: {
      pay: { level: 'high', maxAge: 300, transaction: { authorizationDetails: [detail as never] } },
    },
  });
  const decision: Decision = await stepUp.decide('pay', {
    method: 'POST',
    url: '/t',
    headers: { authorization: await as.authorization(claims) },
  });
  if (decision.allowed) throw new Error('allowed');
  return decision.error;
}

describe('readAuthorizationChallenge', () => {
  it('reads what a refusal says to request, from the body and from the header alone', async () => {
    const error = await denial(A, { acr: ACR.high, auth_time: NOW - 10 });
    const header = error.headers['www-authenticate']!;
    const expected = {
      error: 'insufficient_authorization',
      authorizationDetails: [A],
      acrValues: [ACR.high],
      maxAge: 300,
      description: 'The access token carries no approval for this transaction',
    };
    expect(readAuthorizationChallenge(header, JSON.parse(JSON.stringify(error.body)))).toEqual(expected);
    expect(readAuthorizationChallenge(header)).toEqual(expected);
    expect(readAuthorizationChallenge(header, { authorization_details: 'not a list' })).toEqual(expected);
  });

  it('also reads a step-up that names the details (a weak sign-in and no approval)', async () => {
    const error = await denial(A, { acr: ACR.standard, auth_time: NOW - 10 });
    expect(readAuthorizationChallenge(error.headers['www-authenticate']!, error.body)).toMatchObject({
      error: 'insufficient_user_authentication',
      authorizationDetails: [A],
      acrValues: [ACR.high],
    });
  });

  it('ignores other challenges and unreadable details', () => {
    const body = { authorization_details: [A] };
    expect(readAuthorizationChallenge('Bearer error="invalid_token"', body)).toBeUndefined();
    expect(readAuthorizationChallenge('PoP error="insufficient_authorization"', body)).toBeUndefined();
    // A DPoP request's refusal carries its error in the DPoP challenge (RFC 9449 §7.1): read there too.
    expect(
      readAuthorizationChallenge('Bearer, DPoP error="insufficient_authorization", algs="ES256"', body)
        ?.authorizationDetails,
    ).toEqual([A]);
    expect(readAuthorizationChallenge('Bearer error="insufficient_authorization"')).toBeUndefined();
    for (const remediation of [
      '%%%',
      encode({ authorization_details: [{ no: 'type' }] }),
      'bm90IGpzb24',
      '_w',
    ])
      expect(
        readAuthorizationChallenge(
          `Bearer error="insufficient_authorization", authorization_remediation="${remediation}"`,
        ),
      ).toBeUndefined();
    expect(() => readAuthorizationChallenge('Bearer error="x', body)).toThrowError(
      expect.objectContaining({ code: 'ERR_CHALLENGE_MALFORMED' }),
    );
  });

  it('the challenge round-trips through oauth4webapi, remediation included', async () => {
    const detail = { ...A, creditorName: 'Zoë "the payee" Ørsted' };
    const error = await denial(detail, { acr: ACR.high, auth_time: NOW - 10 });
    const [challenge] = (await parseWithOauth4webapi(error.headers['www-authenticate']!)) ?? [];
    expect(challenge).toEqual({
      scheme: 'bearer',
      parameters: {
        realm: 'bank',
        error: 'insufficient_authorization',
        error_description: 'The access token carries no approval for this transaction',
        acr_values: ACR.high,
        max_age: '300',
        authorization_remediation: encode({ authorization_details: [detail] }),
      },
    });
  });

  it('leaves an over-long remediation out of the header; the body still carries the details', async () => {
    const detail = { ...A, remittanceInformation: 'x'.repeat(4000) };
    const error = await denial(detail, { acr: ACR.high, auth_time: NOW - 10, authorization_details: [A] });
    expect(error.code).toBe('ERR_AUTHORIZATION_DETAILS_MISMATCH');
    expect(error.headers['www-authenticate']).toBe(
      `Bearer realm="bank", error="insufficient_authorization", error_description="The access token was approved for another transaction", acr_values="${ACR.high}", max_age="300"`,
    );
    expect(error.body.authorization_details).toEqual([detail]);
    expect(
      readAuthorizationChallenge(error.headers['www-authenticate']!, error.body)?.authorizationDetails,
    ).toEqual([detail]);
  });
});
