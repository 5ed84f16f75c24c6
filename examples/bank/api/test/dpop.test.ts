// DPoP at the bank API (RFC 9449 §7), over HTTP with real proofs of the `dpop` package: a bound token
// works with a proof of its key, never as Bearer; a proof is good once, on every instance sharing the
// database; `htu` is the configured origin, never the Host the request was sent to.
import * as dpop from 'dpop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { startBankApi } from '../src/main.js';
import { AUDIENCE, NOW, proofAt, startTestBank, type TestBank } from './helpers/bank.js';
import { DATABASES } from './helpers/db.js';

const METADATA = `resource_metadata="${AUDIENCE}/.well-known/oauth-protected-resource"`;

describe.each(DATABASES)('DPoP at the API on $name', (database) => {
  let bank: TestBank;
  let drop: () => Promise<void>;
  let db: Awaited<ReturnType<typeof database.open>>['db'];

  beforeAll(async () => {
    ({ db, drop } = await database.open());
    bank = await startTestBank(db);
  });
  afterAll(async () => {
    await bank?.close();
    await drop?.();
  });

  const proofFor = (authorization: string, key = bank.key, htu = `${AUDIENCE}/accounts`, htm = 'GET') =>
    proofAt(NOW, key, htu, htm, authorization.slice('DPoP '.length));

  it('accepts a bound token with a proof of its key', async () => {
    const authorization = await bank.standard('dora');
    const response = await bank.call('/accounts', { authorization, proof: await proofFor(authorization) });
    expect(response.status).toBe(200);
    expect((await response.json()).accounts).toHaveLength(2);
  });

  it('refuses the bound token as Bearer: 401 with the DPoP challenge only', async () => {
    const authorization = await bank.standard('dora');
    const response = await bank.call('/accounts', { authorization: `Bearer ${authorization.slice(5)}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`DPoP realm="bank", ${METADATA}, algs="ES256"`);
    expect(await response.json()).toMatchObject({ code: 'ERR_DPOP_REQUIRED' });
  });

  it('refuses a replayed proof, also on another instance sharing the database', async () => {
    const authorization = await bank.standard('dora');
    const proof = await proofFor(authorization);
    expect((await bank.call('/accounts', { authorization, proof })).status).toBe(200);
    const again = await bank.call('/accounts', { authorization, proof });
    expect(again.status).toBe(401);
    expect(again.headers.get('www-authenticate')).toMatch(
      new RegExp(
        `^DPoP realm="bank", error="invalid_dpop_proof", error_description="[^"]+", ${METADATA}, algs="ES256"$`,
      ),
    );
    expect(await again.json()).toMatchObject({
      code: 'ERR_DPOP_PROOF_REPLAYED',
      error: 'invalid_dpop_proof',
    });

    const other = await startBankApi({ port: 0, db, issuer: bank.issuer.config(), now: () => NOW });
    try {
      const fresh = await proofFor(authorization);
      expect(
        (await fetch(`${bank.api.url}/accounts`, { headers: { authorization, dpop: fresh } })).status,
      ).toBe(200);
      const elsewhere = await fetch(`${other.url}/accounts`, { headers: { authorization, dpop: fresh } });
      expect(elsewhere.status).toBe(401);
      expect(await elsewhere.json()).toMatchObject({ code: 'ERR_DPOP_PROOF_REPLAYED' });
    } finally {
      await other.close();
    }
  });

  it('takes htu from its configured origin, not from the Host the request came to', async () => {
    const authorization = await bank.standard('dora');
    // bank.api.url is where the request really goes (its Host header): not the API's public origin.
    expect(bank.api.url).not.toBe(AUDIENCE);
    const proof = await proofFor(authorization, bank.key, `${bank.api.url}/accounts`);
    const response = await bank.call('/accounts', { authorization, proof });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      code: 'ERR_DPOP_PROOF_INVALID',
      error: 'invalid_dpop_proof',
    });
  });

  it('refuses a proof for another method or path', async () => {
    const authorization = await bank.standard('dora');
    const post = await bank.call('/accounts', {
      authorization,
      proof: await proofFor(authorization, bank.key, `${AUDIENCE}/accounts`, 'POST'),
    });
    expect(await post.json()).toMatchObject({ code: 'ERR_DPOP_PROOF_INVALID' });
    const path = await bank.call('/accounts', {
      authorization,
      proof: await proofFor(authorization, bank.key, `${AUDIENCE}/payees`),
    });
    expect(await path.json()).toMatchObject({ code: 'ERR_DPOP_PROOF_INVALID' });
  });

  it('refuses a proof of another key (a stolen token), and an ES256-only API an Ed25519 proof', async () => {
    const authorization = await bank.standard('dora');
    const thief = await dpop.generateKeyPair('ES256');
    const stolen = await bank.call('/accounts', {
      authorization,
      proof: await proofFor(authorization, thief),
    });
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ code: 'ERR_DPOP_BINDING_MISMATCH', error: 'invalid_token' });

    const ed = await dpop.generateKeyPair('Ed25519');
    const edToken = await bank.standard('dora', {
      cnf: { jkt: await dpop.calculateThumbprint(ed.publicKey) },
    });
    const refused = await bank.call('/accounts', {
      authorization: edToken,
      proof: await proofFor(edToken, ed),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'ERR_DPOP_PROOF_INVALID' });
  });

  it('refuses the DPoP scheme without a proof (400) and an unbound token under DPoP (401)', async () => {
    const authorization = await bank.standard('dora');
    const bare = await bank.call('/accounts', { authorization, proof: null });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ code: 'ERR_REQUEST_MALFORMED', error: 'invalid_request' });

    const unbound = `DPoP ${await bank.issuer.mint({ sub: 'dora', acr: 'x', scope: 'accounts:read' })}`;
    const response = await bank.call('/accounts', { authorization: unbound });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_NOT_BOUND', error: 'invalid_token' });
  });
});

postgresVariant('DPoP at the API on PostgreSQL');
