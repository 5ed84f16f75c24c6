import type { Expected } from './cases.js';
import { type ProofSpec, signProof } from './proof.js';
import { ACR, type CaseRequest, DPOP_ORIGIN, DPOP_ROUTES, type Kit, NOW, type Route } from './setup.js';

/** The DPoP section's request builder and expected answers. */

// Expected values are written out here, independently of the serializer under test.
export const ALGS = 'ES256 PS256 EdDSA';
export const METADATA = 'https://api.test/.well-known/oauth-protected-resource';
/** An error in the DPoP challenge, the Bearer challenge beside it without one (RFC 9449 §7.2). */
export const inDpop = (error: string, code: string, description: string, status = 401): Expected => ({
  status,
  wwwAuthenticate: `Bearer realm="bank", DPoP realm="bank", error="${error}", error_description="${description}", algs="${ALGS}"`,
  body: { error, error_description: description, code },
});
export const badProof = (description: string) =>
  inDpop('invalid_dpop_proof', 'ERR_DPOP_PROOF_INVALID', description);
/** An error in the Bearer challenge, the DPoP challenge beside it without one. */
export const inBearer = (error: string, code: string, description: string, status = 401): Expected => ({
  status,
  wwwAuthenticate: `Bearer realm="bank", error="${error}", error_description="${description}", DPoP realm="bank", algs="${ALGS}"`,
  body: { error, error_description: description, code },
});
/** The strict API: DPoP only, with resource_metadata. */
export const strict = (params: string, body: unknown): Expected => ({
  status: 401,
  wwwAuthenticate: `DPoP realm="bank"${params}, resource_metadata="${METADATA}", algs="${ALGS}"`,
  body,
});
export const ok = (level: string): Expected => ({
  status: 200,
  wwwAuthenticate: undefined,
  body: { sub: 'user-1', level },
});

export const standard = { acr: ACR.standard, auth_time: NOW - 60, scope: 'accounts:read' };

export interface DpopCall {
  readonly route?: Route;
  /** Claims of the access token; its `cnf.jkt` is the bound key's unless `bound` is false. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly bound?: boolean;
  readonly scheme?: 'DPoP' | 'Bearer';
  /** Changes to the proof; `false` sends none. */
  readonly proof?: Partial<ProofSpec> | false;
  /** The `DPoP` header value(s) instead of the proof. */
  readonly dpop?: string | readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly instance?: 1 | 2;
  readonly body?: unknown;
}

/** A request to a DPoP API: a token bound to `kit.dpopKey`, and a proof for exactly this request. */
export async function call(kit: Kit, options: DpopCall = {}): Promise<CaseRequest> {
  const route = options.route ?? DPOP_ROUTES.accounts;
  const cnf = options.bound === false ? {} : { cnf: { jkt: kit.dpopKey.jkt } };
  const token = await kit.main.mint({ ...standard, ...cnf, ...options.claims });
  const proof =
    options.proof === false
      ? undefined
      : await signProof({
          key: kit.dpopKey,
          token,
          htm: route.method,
          htu: `${DPOP_ORIGIN}${route.path}`,
          iat: NOW,
          ...options.proof,
        });
  const dpop = options.dpop ?? proof;
  return {
    route,
    authorization: `${options.scheme ?? 'DPoP'} ${token}`,
    ...(dpop === undefined ? {} : { dpop }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.body === undefined ? {} : { body: options.body }),
  };
}

export const htu = (path: string) => `${DPOP_ORIGIN}${path}`;
export const accounts = DPOP_ROUTES.accounts.path;
