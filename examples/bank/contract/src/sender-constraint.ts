/**
 * The scopes of the bank API, as the authorization server grants them for its audience and the API
 * lists them in its RFC 9728 metadata (`scopes_supported`).
 */
export const API_SCOPES = ['accounts:read', 'transfers:write', 'payees:write'] as const;

/**
 * The JWS algorithms of the bank's DPoP proofs (RFC 9449): ES256 only, on P-256 keys, which WebCrypto
 * makes non-extractable in every browser and the iPhone's Secure Enclave holds. The authorization
 * server accepts these at its token endpoint (`dpop_signing_alg_values_supported`), the API at its
 * routes (the `algs` of its `DPoP` challenge and its metadata's `dpop_signing_alg_values_supported`),
 * and the web client signs with them. Every access and refresh token of the bank's clients is bound to
 * such a key (`cnf.jkt`); the API accepts no other.
 */
export const DPOP_ALGORITHMS = ['ES256'] as const;
/** One of {@link DPOP_ALGORITHMS}. */
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];
