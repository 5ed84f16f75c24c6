// What the web app sends on the wire, recorded from Chromium's request events: every API call and every
// token request, with its DPoP proof (RFC 9449), so a test can check that the tokens are used only
// with proofs of one session key, and that the access token is bound to that key.
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { z } from 'zod';

/** One request as sent. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly dpop: string | undefined;
}

/** Records the requests of `page` to the API and to the token endpoint (preflights aside). */
export function recordDpop(page: Page, urls: { api: string; token: string }): Promise<SentRequest>[] {
  const sent: Promise<SentRequest>[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (request.method() === 'OPTIONS') return;
    if (!url.startsWith(`${urls.api}/`) && url !== urls.token) return;
    // allHeaders: headers() leaves out the security-related ones.
    sent.push(
      request.allHeaders().then((headers) => ({
        method: request.method(),
        url,
        authorization: headers.authorization,
        dpop: headers.dpop,
      })),
    );
  });
  return sent;
}

const Jwk = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });
const ProofHeader = z.object({ typ: z.literal('dpop+jwt'), alg: z.literal('ES256'), jwk: Jwk });
const ProofClaims = z.object({
  htm: z.string(),
  htu: z.string(),
  jti: z.string(),
  iat: z.number(),
  ath: z.string().optional(),
});
const AccessClaims = z.object({ cnf: z.object({ jkt: z.string() }) });

const part = (jwt: string, index: number): unknown =>
  JSON.parse(Buffer.from(String(jwt.split('.')[index]), 'base64url').toString());
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** RFC 7638 by hand (the required members of an EC key, in order). */
function thumbprint(jwk: z.infer<typeof Jwk>): string {
  return sha256(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }));
}

/**
 * Checks the recorded requests: every API call is `Authorization: DPoP <token>` with a proof for its
 * method and URL and of that token (`ath`), every token request has a proof, every proof is of one
 * key, used once (`jti`), and `accessToken` is bound to that key (`cnf.jkt`). Returns how many API
 * calls and token requests there were.
 */
export async function expectDpopBound(recorded: Promise<SentRequest>[], accessToken: string, apiUrl: string) {
  const sent = await Promise.all(recorded);
  const keys = new Set<string>();
  const jtis = new Set<string>();
  let api = 0;
  for (const request of sent) {
    expect(request.dpop, `${request.method} ${request.url}: a DPoP proof`).toEqual(expect.any(String));
    const header = ProofHeader.parse(part(String(request.dpop), 0));
    const claims = ProofClaims.parse(part(String(request.dpop), 1));
    keys.add(thumbprint(header.jwk));
    jtis.add(claims.jti);
    expect([claims.htm, claims.htu]).toEqual([request.method, request.url.split('?')[0]]);
    if (!request.url.startsWith(`${apiUrl}/`)) continue;
    api += 1;
    const [scheme, token] = String(request.authorization).split(' ');
    expect(scheme).toBe('DPoP');
    expect(claims.ath).toBe(sha256(String(token)));
  }
  expect(jtis.size).toBe(sent.length);
  expect(keys.size).toBe(1);
  expect(AccessClaims.parse(part(accessToken, 1)).cnf.jkt).toBe([...keys][0]);
  return { api, token: sent.length - api };
}
