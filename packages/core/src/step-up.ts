import type { Decision } from './decision.js';
import { createEngine } from './engine/engine.js';
import { check, decideSync } from './engine/pipeline.js';
import type { ProtectedResourceMetadata } from './metadata/metadata.js';
import { parseOptions, type StepUpOptions } from './options.js';
import type { AssuranceLevels } from './policy/levels.js';
import type { StepUpRequest } from './request.js';

export type { Decision, StepUpDenial, StepUpGrant } from './decision.js';

/** A configured step-up engine. Create one per API with `createStepUp`. */
export interface StepUp {
  /**
   * Decides whether `request` may perform `operation`. Never throws for anything the client sent:
   * missing, malformed, invalid or insufficient credentials are denials with status and headers.
   * @throws StepUpError `ERR_OPERATION_UNKNOWN` for an operation the policy does not define, and
   * `ERR_POLICY_INVALID` when a computed requirement is invalid: both are programming errors.
   */
  decide(operation: string, request: StepUpRequest): Promise<Decision>;
  /**
   * The same decision, synchronously, when no signature has to be checked: the token is in the
   * verified-token cache, or the request is refused before verification (no or malformed
   * credentials). Returns `undefined` when `decide` must do something asynchronous: verify the token,
   * wait for a requirement computed asynchronously (which then runs again in `decide`), record the use
   * of a single-use approval (never recorded here, so `decide` does not find it used), or check a DPoP
   * request's proof (left whole to `decide`, which records its `jti`).
   * @throws as `decide`.
   */
  decideSync(operation: string, request: StepUpRequest): Decision | undefined;
  /**
   * The decision as soon as it is known, without doing the first steps twice (for adapters): a
   * `Decision` when nothing asynchronous is needed (the cases of `decideSync`, and a cold token the
   * native backend verifies synchronously with its issuer's keys at hand), else a promise of it (as
   * `decide`): keys to fetch, the jose backend, a requirement computed asynchronously, the single use of
   * an approval to record, or a DPoP proof's `jti` to record (a DPoP request that passes every check).
   * @throws as `decide` (synchronously, or as a rejection).
   */
  check(operation: string, request: StepUpRequest): Decision | Promise<Decision>;
  /** Whether the policy defines `operation`. */
  hasOperation(operation: string): boolean;
  /** @throws StepUpError `ERR_OPERATION_UNKNOWN`. Adapters call it when a route is declared. */
  assertOperation(operation: string): void;
  /** The defined operation names. */
  readonly operations: readonly string[];
  readonly levels: AssuranceLevels;
  /** Empties the verified-token cache. */
  clearCache(): void;
  /**
   * The RFC 9728 protected resource metadata, when the `metadata` option is set: the document, its
   * path (`/.well-known/oauth-protected-resource{path}`) and the response adapters serve at that path.
   */
  readonly metadata: ProtectedResourceMetadata | undefined;
}

/**
 * Creates the step-up engine: JWT access-token validation, per-operation assurance policies, and
 * RFC 6750 / RFC 9470 answers. Options are validated here, so a typo fails at boot, naming the field.
 *
 * Order of checks (REFERENCE §1): no credentials → malformed request → invalid token → a
 * sender-constrained token presented as Bearer, or the DPoP proof (RFC 9449 §4.3, all but its `jti`) →
 * user authentication (acr, auth_time, amr) → transaction binding (RFC 9396 `authorization_details`) →
 * scope → the single uses, last, so that a refused request uses nothing up: the DPoP proof's `jti`,
 * then the approval of a single-use transaction (so that a replayed proof never uses the approval up).
 * The token and its proof are always validated before any policy is consulted, so an unauthenticated
 * caller learns nothing about the policy.
 *
 * Each issuer's tokens are judged and answered by that issuer's rules (`issuers[i].assurance`, filled
 * in by the `@stepup/core/profiles` functions): which claim states the level, which says when the user
 * authenticated, and the challenge dialect. A request refused before a token is verified (no token,
 * malformed, invalid) has no trusted issuer and gets the default RFC 6750 Bearer challenge.
 *
 * With `dpop`, the DPoP scheme (RFC 9449 §7) is accepted too, and the challenges name both schemes (the
 * error in the one the request used). A sender-constrained token (`cnf`) presented as Bearer is always
 * refused. A Bearer request stays as synchronous as without DPoP; a DPoP request that passes every
 * check waits for the replay store.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID`
 * @example
 * const stepUp = createStepUp({
 *   issuers: [{ issuer: 'https://as.example', jwksUri: 'https://as.example/jwks', audience: 'https://api.example' }],
 *   levels: [{ name: 'standard', acr: ['urn:example:standard'] }, { name: 'high', acr: ['urn:example:high'] }],
 *   operations: {
 *     'accounts:read': { level: 'standard' },
 *     'transfers:create': ({ request }) =>
 *       Number((request.body as { amount?: unknown })?.amount) > 100_000 ? { level: 'high', maxAge: 300 } : { level: 'standard' },
 *   },
 * });
 * const decision = await stepUp.decide('transfers:create', { method: 'POST', url: '/transfers', headers, body });
 */
export function createStepUp(input: StepUpOptions): StepUp {
  const engine = createEngine(parseOptions(input));
  const { policies, levels, cache, metadata } = engine;
  return {
    decide: async (operation, request) => check(engine, operation, request),
    decideSync: (operation, request) => decideSync(engine, operation, request),
    check: (operation, request) => check(engine, operation, request),
    hasOperation: (operation) => policies.has(operation),
    assertOperation: (operation) => policies.assert(operation),
    operations: policies.names,
    levels,
    clearCache: () => cache?.clear(),
    metadata,
  };
}
