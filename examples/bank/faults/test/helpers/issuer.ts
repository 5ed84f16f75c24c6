// A test authorization server for the API under test: real ES256 tokens (`@stepup/core/testing`) bound
// to one client DPoP key (RFC 9449, as the API requires), and its JWKS served over HTTP on the loopback,
// as the API fetches it in production. Proofs are made with the `dpop` package.
import { createServer } from 'node:http';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { ACR_STANDARD } from '@stepup-example/contract';
import * as dpop from 'dpop';
import { freePort } from './ports.js';

export interface ServedIssuer {
  readonly issuer: TestIssuer;
  readonly jwksUri: string;
  /** `DPoP …` at the standard level for `sub`, valid for an hour, bound to the client's key. */
  authorization(sub: string): Promise<string>;
  /** A fresh proof of the client's key for one request with `authorization` (each is good once). */
  proof(authorization: string, method: string, url: string): Promise<string>;
  close(): Promise<void>;
}

export async function serveIssuer(audience: string): Promise<ServedIssuer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const issuer = await createTestIssuer({ issuer: url, audience, expiresIn: 3600 });
  const server = createServer((req, res) => {
    if (req.url !== '/jwks') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const key = await dpop.generateKeyPair('ES256');
  const jkt = await dpop.calculateThumbprint(key.publicKey);
  return {
    issuer,
    jwksUri: `${url}/jwks`,
    authorization: async (sub) =>
      `DPoP ${await issuer.mint({
        sub,
        acr: ACR_STANDARD,
        auth_time: issuer.now() - 10,
        scope: 'accounts:read transfers:write',
        client_id: 'bank-web',
        cnf: { jkt },
      })}`,
    proof: (authorization, method, target) =>
      dpop.generateProof(key, target, method, undefined, authorization.slice('DPoP '.length)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
