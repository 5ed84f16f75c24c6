import { expect } from 'vitest';
import type { ConformanceCase } from './cases.js';
import { accounts, badProof, call, htu, inBearer, inDpop, ok } from './dpop-request.js';
import { createProofKey } from './proof.js';
import { NOW } from './setup.js';

/**
 * RFC 9449 §4.3 at the resource server: every proof check failing alone, replays (on one instance and
 * across two sharing Redis), the `iat` window's edges, `htu` normalization as the OpenID conformance
 * suite probes it.
 */
export const DPOP_PROOF_CASES: readonly ConformanceCase[] = [
  // Valid requests, in every form the RFC allows.
  { name: 'DPoP: valid ES256 proof', request: (kit) => call(kit), expect: ok('standard') },
  {
    name: 'DPoP: valid PS256 and EdDSA proofs',
    request: async (kit, send) => {
      const ps = await call(kit, { claims: { cnf: { jkt: kit.psKey.jkt } }, proof: { key: kit.psKey } });
      expect((await send(ps)).status).toBe(200);
      return call(kit, { claims: { cnf: { jkt: kit.edKey.jkt } }, proof: { key: kit.edKey } });
    },
    expect: ok('standard'),
  },
  {
    name: 'DPoP: lower-case scheme',
    request: async (kit) => {
      const req = await call(kit);
      return { ...req, authorization: `dpop ${String(req.authorization).slice('DPoP '.length)}` };
    },
    expect: ok('standard'),
  },
  {
    name: 'DPoP: extra header members and claims are ignored',
    request: (kit) => call(kit, { proof: { header: { tx_id: 1 }, claims: { tx_id_key: 2 } } }),
    expect: ok('standard'),
  },
  // §4.3 step 1: exactly one proof; a proof needs the DPoP scheme.
  {
    name: 'DPoP: no proof',
    request: (kit) => call(kit, { proof: false }),
    expect: inDpop('invalid_request', 'ERR_REQUEST_MALFORMED', 'The DPoP scheme needs a DPoP proof', 400),
  },
  {
    name: 'DPoP: two proofs',
    request: async (kit) => {
      const first = await call(kit);
      const second = await call(kit);
      return { ...first, dpop: [first.dpop as string, second.dpop as string] };
    },
    expect: inDpop('invalid_request', 'ERR_REQUEST_MALFORMED', 'Only one DPoP proof is allowed', 400),
  },
  {
    name: 'DPoP: a proof sent with the Bearer scheme',
    request: (kit) => call(kit, { scheme: 'Bearer', bound: false }),
    expect: inBearer(
      'invalid_request',
      'ERR_REQUEST_MALFORMED',
      'A DPoP proof needs the DPoP authorization scheme',
      400,
    ),
  },
  // Step 2: a well-formed JWT.
  {
    name: 'DPoP: the proof is not a JWT (two segments)',
    request: async (kit) => {
      const req = await call(kit);
      return { ...req, dpop: (req.dpop as string).split('.').slice(0, 2).join('.') };
    },
    expect: badProof('The DPoP proof is not a JWT'),
  },
  // Steps 3 and 4: required members, typ.
  {
    name: 'DPoP: typ missing',
    request: (kit) => call(kit, { proof: { header: { typ: null } } }),
    expect: badProof('The DPoP proof typ must be dpop+jwt'),
  },
  {
    name: 'DPoP: typ wrong',
    request: (kit) => call(kit, { proof: { header: { typ: 'dpop+jwt+wrongyousee' } } }),
    expect: badProof('The DPoP proof typ must be dpop+jwt'),
  },
  {
    name: 'DPoP: jwk missing',
    request: (kit) => call(kit, { proof: { header: { jwk: null } } }),
    expect: badProof('The DPoP proof has no jwk'),
  },
  {
    name: 'DPoP: jti missing',
    request: (kit) => call(kit, { proof: { claims: { jti: null } } }),
    expect: badProof('The DPoP proof has no valid jti'),
  },
  {
    name: 'DPoP: htm missing',
    request: (kit) => call(kit, { proof: { claims: { htm: null } } }),
    expect: badProof('The DPoP proof has no valid htm'),
  },
  {
    name: 'DPoP: htu missing',
    request: (kit) => call(kit, { proof: { claims: { htu: null } } }),
    expect: badProof('The DPoP proof has no valid htu'),
  },
  {
    name: 'DPoP: iat missing',
    request: (kit) => call(kit, { proof: { claims: { iat: null } } }),
    expect: badProof('The DPoP proof has no valid iat'),
  },
  {
    name: 'DPoP: ath missing',
    request: (kit) => call(kit, { proof: { claims: { ath: null } } }),
    expect: badProof('The DPoP proof has no valid ath'),
  },
  // Step 5: an asymmetric algorithm on the allow-list.
  {
    name: 'DPoP: alg none',
    request: async (kit) => {
      const req = await call(kit);
      const [, payload] = (req.dpop as string).split('.');
      const header = Buffer.from(
        JSON.stringify({ alg: 'none', typ: 'dpop+jwt', jwk: kit.dpopKey.publicJwk }),
      ).toString('base64url');
      return { ...req, dpop: `${header}.${payload}.` };
    },
    expect: badProof('The DPoP proof algorithm is not accepted'),
  },
  {
    name: 'DPoP: RS256, not on the allow-list',
    request: async (kit) => {
      const rs = await createProofKey('RS256');
      return call(kit, { claims: { cnf: { jkt: rs.jkt } }, proof: { key: rs } });
    },
    expect: badProof('The DPoP proof algorithm is not accepted'),
  },
  // Steps 6 and 7: the signature by the embedded key, which is public.
  {
    name: 'DPoP: signature by another key than the embedded jwk',
    request: (kit) => call(kit, { proof: { signer: kit.otherKey } }),
    expect: badProof('The DPoP proof signature is invalid'),
  },
  {
    name: 'DPoP: the embedded jwk is the private key',
    request: (kit) => call(kit, { proof: { header: { jwk: kit.dpopKey.privateJwk } } }),
    expect: badProof('The DPoP proof jwk must be a public key'),
  },
  {
    name: 'DPoP: the embedded jwk does not fit the algorithm',
    request: (kit) => call(kit, { proof: { header: { jwk: kit.psKey.publicJwk } } }),
    expect: badProof('The DPoP proof jwk does not fit its algorithm'),
  },
  // Step 8: htm.
  {
    name: 'DPoP: htm PUT for a GET',
    request: (kit) => call(kit, { proof: { htm: 'PUT' } }),
    expect: badProof('The DPoP proof htm does not match the request method'),
  },
  // Step 9: htu, normalized (RFC 3986 §6.2.2–6.2.3), query and fragment ignored on both sides.
  {
    name: 'DPoP: htu of another path',
    request: (kit) => call(kit, { proof: { htu: `${htu(accounts)}ohnonotagain` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu with query and fragment (ignored)',
    request: (kit) => call(kit, { proof: { htu: `${htu(accounts)}?allthedoors#cheery` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: a request with a query, htu without it',
    request: async (kit) => ({ ...(await call(kit)), query: '?page=2' }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with upper-case scheme and host',
    request: (kit) => call(kit, { proof: { htu: `HTTPS://API.TEST${accounts}` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with the default port written out',
    request: (kit) => call(kit, { proof: { htu: `https://api.test:443${accounts}` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with percent-encoded unreserved characters',
    request: (kit) => call(kit, { proof: { htu: `https://api.test/%64pop/%61ccounts` } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: htu with another port',
    request: (kit) => call(kit, { proof: { htu: `https://api.test:8443${accounts}` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu with http instead of https',
    request: (kit) => call(kit, { proof: { htu: `http://api.test${accounts}` } }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: htu of the attacker’s host, sent with a matching Host and X-Forwarded-Host',
    request: (kit) =>
      call(kit, {
        proof: { htu: `https://attacker.test${accounts}` },
        headers: { 'x-forwarded-host': 'attacker.test', 'x-forwarded-proto': 'https' },
      }),
    expect: badProof('The DPoP proof htu does not match the request URL'),
  },
  {
    name: 'DPoP: X-Forwarded-Host is ignored (the configured origin decides)',
    request: (kit) => call(kit, { headers: { 'x-forwarded-host': 'attacker.test' } }),
    expect: ok('standard'),
  },
  // Step 11: iat within [now - proofMaxAge (300 s), now + clockTolerance (5 s)].
  {
    name: 'DPoP: iat 300 s ago (oldest accepted)',
    request: (kit) => call(kit, { proof: { iat: NOW - 300 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 301 s ago',
    request: (kit) => call(kit, { proof: { iat: NOW - 301 } }),
    expect: badProof('The DPoP proof is too old'),
  },
  {
    name: 'DPoP: iat 10 s ago',
    request: (kit) => call(kit, { proof: { iat: NOW - 10 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 5 s ahead (the clock tolerance)',
    request: (kit) => call(kit, { proof: { iat: NOW + 5 } }),
    expect: ok('standard'),
  },
  {
    name: 'DPoP: iat 6 s ahead',
    request: (kit) => call(kit, { proof: { iat: NOW + 6 } }),
    expect: badProof('The DPoP proof iat is in the future'),
  },
  {
    name: 'DPoP: iat one hour ahead',
    request: (kit) => call(kit, { proof: { iat: NOW + 3600 } }),
    expect: badProof('The DPoP proof iat is in the future'),
  },
  // Step 11: jti not seen before.
  {
    name: 'DPoP: a proof replayed on the same instance',
    request: async (kit, send) => {
      const req = await call(kit);
      expect((await send(req)).status).toBe(200);
      return req;
    },
    expect: inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used'),
  },
  {
    name: 'DPoP: a proof replayed on the other instance (shared Redis)',
    needsSharedStore: true,
    request: async (kit, send) => {
      expect(kit.sharedStore, 'REDIS_URL is not set: two instances must share Redis').toBe(true);
      const req = await call(kit);
      expect((await send(req)).status).toBe(200);
      return { ...req, instance: 2 };
    },
    expect: inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', 'The DPoP proof was already used'),
  },
  {
    name: 'DPoP: the second instance accepts a fresh proof',
    request: (kit) => call(kit, { instance: 2 }),
    expect: ok('standard'),
  },
  // Step 12: ath, and the key binding.
  {
    name: 'DPoP: ath of another token',
    request: (kit) => call(kit, { proof: { token: 'another.access.token' } }),
    expect: badProof('The DPoP proof ath does not match the access token'),
  },
  {
    name: 'DPoP: proof by another key than the one the token is bound to',
    request: (kit) => call(kit, { proof: { key: kit.otherKey } }),
    expect: inDpop(
      'invalid_token',
      'ERR_DPOP_BINDING_MISMATCH',
      'The DPoP proof key is not the key the access token is bound to',
    ),
  },
];
