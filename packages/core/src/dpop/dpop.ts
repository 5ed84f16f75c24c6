import { StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';
import { createMemoryReplayStore } from '../stores/memory.js';
import type { VerifiedToken } from '../token/types.js';
import { createNonceSource } from './nonce.js';
import type { ResolvedDpopOptions } from './options.js';
import { type CheckedProof, createProofVerifier } from './verify-proof.js';

const malformed = (message: string) => new StepUpError('ERR_REQUEST_MALFORMED', message);

/** The engine's DPoP step (RFC 9449 §7), built once from the resolved `dpop` options. */
export interface DpopCheck {
  /** For the challenges: `algs` and whether Bearer is refused. */
  readonly rendering: { readonly algs: readonly string[]; readonly required: boolean };
  /**
   * Reads the `DPoP` header for credentials of `scheme`, synchronously: the one proof for the DPoP
   * scheme; for Bearer, nothing (and a refusal when Bearer is not accepted or a proof came with it).
   * @throws StepUpError `ERR_REQUEST_MALFORMED` (no proof, several proofs, a proof with Bearer),
   * `ERR_DPOP_REQUIRED` (Bearer refused).
   */
  readProof(request: StepUpRequest, scheme: 'bearer' | 'dpop'): string | undefined;
  /**
   * Checks, synchronously, that a verified token is DPoP-bound, then its proof (`createProofVerifier`'s
   * `check`): everything but the first use of the proof's `jti`.
   * @throws StepUpError `ERR_TOKEN_NOT_BOUND`, `ERR_TOKEN_BOUND` (also bound to a certificate) and the
   * errors of `check`
   */
  check(proof: string, accessToken: string, token: VerifiedToken, request: StepUpRequest): CheckedProof;
  /**
   * Records the first use of a checked proof's `jti` (one of the engine's last steps, once nothing else
   * refuses): `undefined`, else the failure, `ERR_DPOP_PROOF_REPLAYED` or `ERR_REPLAY_STORE_UNAVAILABLE`.
   */
  consume(proof: CheckedProof): Promise<StepUpError | undefined>;
}

/**
 * Builds the DPoP step of the engine: the replay store (by default a bounded in-memory one, for a single
 * instance), the nonce source when nonces are configured, and the proof verifier.
 */
export function createDpopCheck(
  options: ResolvedDpopOptions,
  world: { readonly clockTolerance: number; readonly maxLength: number; readonly now: () => number },
): DpopCheck {
  const { now } = world;
  const nonces =
    options.nonce === undefined
      ? undefined
      : createNonceSource(options.nonce.secret, options.nonce.lifetime, now);
  const proofs = createProofVerifier({
    origin: options.origin,
    algorithms: options.algorithms,
    proofMaxAge: options.proofMaxAge,
    clockTolerance: world.clockTolerance,
    maxLength: world.maxLength,
    replayStore: options.replayStore ?? createMemoryReplayStore({ now }),
    nonces,
    now,
  });
  const { required } = options;
  return {
    rendering: { algs: options.algorithms, required },
    readProof(request, scheme) {
      let header = request.headers.dpop;
      if (scheme === 'bearer') {
        if (required) throw new StepUpError('ERR_DPOP_REQUIRED', 'DPoP-bound access tokens are required');
        if (header !== undefined) throw malformed('A DPoP proof needs the DPoP authorization scheme');
        return undefined;
      }
      if (Array.isArray(header)) {
        if (header.length > 1) throw malformed('Only one DPoP proof is allowed');
        header = header[0];
      }
      if (typeof header !== 'string' || header === '') throw malformed('The DPoP scheme needs a DPoP proof');
      // Node joins repeated headers with ", "; a compact JWS never holds a comma.
      if (header.includes(',')) throw malformed('Only one DPoP proof is allowed');
      return header;
    },
    check(proof, accessToken, token, request) {
      if (token.confirmation?.jkt === undefined)
        throw new StepUpError('ERR_TOKEN_NOT_BOUND', 'The access token is not bound to a DPoP key');
      // Bound to a certificate as well (RFC 8705): that binding cannot be checked here, so not half-accepted.
      if (token.confirmation['x5t#S256'] !== undefined)
        throw new StepUpError(
          'ERR_TOKEN_BOUND',
          'The access token is bound to a client certificate, which is not checked here',
        );
      return proofs.check(proof, accessToken, token, request);
    },
    consume: proofs.consume,
  };
}
