/**
 * Third-party DPoP clients against both adapters over real HTTP: oauth4webapi (`DPoP(client, keyPair)`
 * with `protectedResourceRequest`, including its `use_dpop_nonce` handling) and panva's `dpop`
 * (`generateProof`). Their proofs must be accepted as they make them. Both read `Date`: it is faked to
 * the fixed clock (only `Date`; timers and sockets are real).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StepUpOptions } from '@stepup/core';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { stepUpExpress } from '@stepup/express';
import { stepUpFastify } from '@stepup/fastify';
import * as dpop from 'dpop';
import express from 'express';
import Fastify from 'fastify';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACR, NOW, NOW_MS, now } from '../../core/test/helpers.js';
import { close, listen } from './http-client.js';

type Framework = 'express' | 'fastify';

/** An API on 127.0.0.1 whose DPoP origin is its own address (known once it listens). */
async function startApi(framework: Framework, as: TestIssuer, nonce: boolean) {
  const server = createServer();
  await listen(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const options: StepUpOptions = {
    issuers: [as.config()],
    levels: [{ name: 'high', acr: [ACR.high] }],
    operations: { 'accounts:read': { level: 'high' } },
    dpop: { origin, ...(nonce ? { nonce: { secret: 'a nonce secret of at least 32 bytes!!' } } : {}) },
    now,
  };
  if (framework === 'express') {
    const stepUp = stepUpExpress(options);
    const app = express();
    app.get('/accounts', stepUp.require('accounts:read'), (req, res) => {
      res.json({ sub: req.stepUp?.token.subject });
    });
    server.on('request', app);
  } else {
    const app = Fastify({
      serverFactory: (handler) => {
        server.on('request', handler);
        return server;
      },
    });
    await app.register(stepUpFastify, options);
    app.get('/accounts', { config: { stepUp: 'accounts:read' } }, async (request) => ({
      sub: request.stepUp?.token.subject,
    }));
    await app.ready();
  }
  return { server, url: new URL(`${origin}/accounts`) };
}

describe.each<Framework>(['express', 'fastify'])('third-party DPoP clients, %s', (framework) => {
  let as: TestIssuer;
  let plain: { server: Server; url: URL };
  let nonced: { server: Server; url: URL };
  beforeAll(async () => {
    as = await createTestIssuer({ now });
    plain = await startApi(framework, as, false);
    nonced = await startApi(framework, as, true);
  });
  afterAll(async () => {
    await Promise.all([close(plain.server), close(nonced.server)]);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const fixedDate = () => vi.useFakeTimers({ now: NOW_MS, toFake: ['Date'] });
  const boundToken = (jkt: string) => as.mint({ acr: ACR.high, auth_time: NOW - 10, cnf: { jkt } });
  const client: oauth.Client = { client_id: 'test-client' };
  const options = (handle: oauth.DPoPHandle) => ({ DPoP: handle, [oauth.allowInsecureRequests]: true });

  it.each(['ES256', 'PS256', 'Ed25519'] as const)('oauth4webapi: a %s proof is accepted', async (alg) => {
    fixedDate();
    const keyPair = await dpop.generateKeyPair(alg);
    const handle = oauth.DPoP(client, keyPair);
    const token = await boundToken(await handle.calculateThumbprint());
    const response = await oauth.protectedResourceRequest(
      token,
      'GET',
      plain.url,
      new Headers(),
      null,
      options(handle),
    );
    expect([response.status, await response.json()]).toEqual([200, { sub: 'user-1' }]);
  });

  it('oauth4webapi: use_dpop_nonce is recognised, the nonce cached from DPoP-Nonce, the retry accepted', async () => {
    fixedDate();
    const keyPair = await dpop.generateKeyPair('ES256');
    const handle = oauth.DPoP(client, keyPair);
    const token = await boundToken(await handle.calculateThumbprint());
    const request = () =>
      oauth.protectedResourceRequest(token, 'GET', nonced.url, new Headers(), null, options(handle));
    const error = await request().catch((e: unknown) => e);
    expect(oauth.isDPoPNonceError(error)).toBe(true);
    const retried = await request();
    expect([retried.status, await retried.json()]).toEqual([200, { sub: 'user-1' }]);
  });

  it('oauth4webapi: the same proof is not accepted twice (its jti)', async () => {
    fixedDate();
    const keyPair = await dpop.generateKeyPair('ES256');
    const handle = oauth.DPoP(client, keyPair);
    const token = await boundToken(await handle.calculateThumbprint());
    const seen: Headers[] = [];
    const recording = {
      ...options(handle),
      [oauth.customFetch]: (
        url: string,
        init: oauth.CustomFetchOptions<string, oauth.ProtectedResourceRequestBody>,
      ) => {
        seen.push(new Headers(init.headers));
        return fetch(url, { headers: init.headers, method: init.method });
      },
    };
    expect(
      (await oauth.protectedResourceRequest(token, 'GET', plain.url, new Headers(), null, recording)).status,
    ).toBe(200);
    const replay = await fetch(plain.url, { headers: seen[0]! });
    expect([replay.status, (await replay.json()).code]).toEqual([401, 'ERR_DPOP_PROOF_REPLAYED']);
  });

  it('dpop (generateProof): ES256 and Ed25519 proofs are accepted', async () => {
    fixedDate();
    for (const alg of ['ES256', 'Ed25519'] as const) {
      const keyPair = await dpop.generateKeyPair(alg);
      const token = await boundToken(await dpop.calculateThumbprint(keyPair.publicKey));
      const proof = await dpop.generateProof(keyPair, plain.url.href, 'GET', undefined, token);
      const response = await fetch(plain.url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
      expect([response.status, await response.json()]).toEqual([200, { sub: 'user-1' }]);
    }
  });

  it('dpop (generateProof): the nonce round trip', async () => {
    fixedDate();
    const keyPair = await dpop.generateKeyPair('ES256');
    const token = await boundToken(await dpop.calculateThumbprint(keyPair.publicKey));
    const send = async (nonce?: string) =>
      fetch(nonced.url, {
        headers: {
          authorization: `DPoP ${token}`,
          dpop: await dpop.generateProof(keyPair, nonced.url.href, 'GET', nonce, token),
        },
      });
    const first = await send();
    const nonce = first.headers.get('dpop-nonce');
    expect([first.status, (await first.json()).error, nonce?.length]).toEqual([401, 'use_dpop_nonce', 43]);
    const second = await send(nonce!);
    expect([second.status, await second.json()]).toEqual([200, { sub: 'user-1' }]);
  });
});
