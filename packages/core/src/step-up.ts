import { createAuditReporter } from './audit.js';
import { bearerChallenge, type RenderContext, renderError } from './challenge/render.js';
import { serializeChallenge } from './challenge/serialize.js';
import { type Decision, deny, grant } from './decision.js';
import { createDpopCheck } from './dpop/dpop.js';
import { type ChallengeRendering, isStepUpError, StepUpError } from './errors.js';
import { createMetadata, type ProtectedResourceMetadata } from './metadata/metadata.js';
import { parseOptions, type StepUpOptions } from './options.js';
import { evaluateRequirement } from './policy/evaluate.js';
import { AssuranceLevels } from './policy/levels.js';
import { PolicyRegistry } from './policy/registry.js';
import type { StepUpRequest } from './request.js';
import { type Credentials, extractCredentials } from './token/bearer.js';
import { TokenCache } from './token/cache.js';
import type { VerifiedToken } from './token/types.js';
import { createTokenVerifier } from './token/verify.js';

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
   * credentials). Returns `undefined` when `decide` must verify the token. For adapters' fast paths.
   * @throws as `decide`.
   */
  decideSync(operation: string, request: StepUpRequest): Decision | undefined;
  /**
   * The decision as soon as it is known: a `Decision` when no signature has to be checked (as
   * `decideSync`), else a promise of it (as `decide`), without doing the first steps twice. For adapters.
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

/** The first step of a decision: decided without a signature check, or a token to verify. */
type Begun =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | {
      readonly kind: 'verify';
      readonly token: string;
      readonly started: number;
      readonly scheme: Credentials['scheme'];
      /** The DPoP proof, for the DPoP scheme. */
      readonly proof: string | undefined;
      /** The cached verification of a DPoP-bound token (its proof is never cached). */
      readonly cached: VerifiedToken | undefined;
    };

/** Refuses, at boot, a realm or resource_metadata the serializer would refuse on every request. */
function checkRendering(rendering: ChallengeRendering): void {
  try {
    serializeChallenge(
      bearerChallenge(new StepUpError('ERR_TOKEN_MISSING', 'probe'), {
        ...rendering,
        formatChallenge: undefined,
      }),
    );
  } catch (cause) {
    throw new StepUpError('ERR_CONFIG_INVALID', 'Invalid stepup options: realm or resourceMetadata', {
      details: { path: 'realm' },
      cause,
    });
  }
}

/**
 * Creates the step-up engine: JWT access-token validation, per-operation assurance policies, and
 * RFC 6750 / RFC 9470 answers. Options are validated here, so a typo fails at boot, naming the field.
 *
 * Order of checks (REFERENCE §1): no credentials → malformed request → invalid token → user
 * authentication (acr, auth_time, amr) → scope. The token is always validated before any policy is
 * consulted, so an unauthenticated caller learns nothing about the policy.
 *
 * With `dpop`, the DPoP scheme (RFC 9449 §7) is accepted too: the token, then its proof, is verified
 * (see `createProofVerifier`). A sender-constrained token (`cnf`) presented as Bearer is always refused.
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
  const options = parseOptions(input);
  const metadata = createMetadata(options);
  const now = options.now ?? Date.now;
  const { logger, clockTolerance, maxTokenLength } = options;
  const dpop =
    options.dpop === undefined
      ? undefined
      : createDpopCheck(options.dpop, { clockTolerance, maxLength: maxTokenLength, now });
  const rendering: ChallengeRendering = {
    realm: options.realm,
    resourceMetadata: options.resourceMetadata ?? metadata?.url,
    formatChallenge: options.formatChallenge,
    dpop: dpop?.rendering,
  };
  checkRendering(rendering);
  const levels = new AssuranceLevels(options.levels);
  const policies = new PolicyRegistry(options.operations, levels);
  const cache = options.cache === false ? undefined : new TokenCache(options.cache.max);
  const verifier = createTokenVerifier({
    issuers: options.issuers,
    levels,
    clockTolerance,
    now,
    fetch: options.fetch ?? globalThis.fetch,
    cache,
  });
  const audit = createAuditReporter(options.audit, options.monotonic ?? (() => performance.now()), logger);

  const refuse = (
    operation: string,
    started: number,
    cached: boolean,
    token: VerifiedToken | undefined,
    failure: StepUpError,
    context?: RenderContext,
  ) => {
    audit.report(operation, started, cached, token, failure);
    return deny(operation, renderError(failure, rendering, logger, context));
  };

  /** A request error (bad credentials, invalid token) becomes a failure; programming errors propagate. */
  const asFailure = (error: unknown): StepUpError => {
    if (!isStepUpError(error) || error.code === 'ERR_POLICY_INVALID') throw error;
    if (error.code === 'ERR_JWKS_UNAVAILABLE' || error.code === 'ERR_REPLAY_STORE_UNAVAILABLE')
      logger?.warn(
        error.code === 'ERR_JWKS_UNAVAILABLE'
          ? 'stepup: JWKS unavailable'
          : 'stepup: replay store unavailable',
        { cause: error.cause instanceof Error ? error.cause.message : '' },
      );
    return error;
  };
  const contexts = { bearer: { scheme: 'bearer' }, dpop: { scheme: 'dpop' } } as const;
  const tokenBound = new StepUpError(
    'ERR_TOKEN_BOUND',
    'The access token is sender-constrained: present it with its proof, not as a Bearer token',
  );

  /**
   * Applies the operation's policy to a verified token (whose proof, for the DPoP scheme, was verified).
   * A sender-constrained token presented as Bearer is refused first (RFC 9449 §7.2).
   */
  const conclude = (
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
    cached: boolean,
    scheme: Credentials['scheme'],
    dpopNonce?: string,
  ): Decision => {
    if (scheme === 'bearer' && token.confirmation !== undefined)
      return refuse(operation, started, cached, token, tokenBound, contexts.bearer);
    const requirement = policies.requirement(operation, request, token);
    const failure = evaluateRequirement(requirement, token, now() / 1000, clockTolerance);
    if (failure !== undefined) return refuse(operation, started, cached, token, failure, contexts[scheme]);
    audit.report(operation, started, cached, token, undefined);
    return grant(
      operation,
      token,
      requirement,
      dpopNonce === undefined ? undefined : { 'dpop-nonce': dpopNonce },
    );
  };

  /** Everything that needs no signature check. */
  function begin(operation: string, request: StepUpRequest): Begun {
    policies.assert(operation);
    const started = audit.start();
    let credentials: Credentials;
    let proof: string | undefined;
    try {
      credentials = extractCredentials(request, maxTokenLength, dpop !== undefined);
    } catch (error) {
      return { kind: 'decided', decision: refuse(operation, started, false, undefined, asFailure(error)) };
    }
    const { scheme, token: raw } = credentials;
    try {
      proof = dpop?.readProof(request, scheme);
    } catch (error) {
      const failure = asFailure(error);
      return {
        kind: 'decided',
        decision: refuse(operation, started, false, undefined, failure, contexts[scheme]),
      };
    }
    const token = verifier.lookup(raw);
    // A cache hit decides a Bearer request now; a DPoP request always waits for its proof's verification.
    if (token === undefined || proof !== undefined)
      return { kind: 'verify', token: raw, started, scheme, proof, cached: token };
    return { kind: 'decided', decision: conclude(operation, request, token, started, true, scheme) };
  }

  async function verifyThenConclude(
    operation: string,
    request: StepUpRequest,
    begun: Extract<Begun, { kind: 'verify' }>,
  ): Promise<Decision> {
    const { scheme, proof, cached } = begun;
    let token: VerifiedToken;
    let nonce: string | undefined;
    try {
      token = cached ?? (await verifier.verify(begun.token));
    } catch (error) {
      return refuse(operation, begun.started, false, undefined, asFailure(error), contexts[scheme]);
    }
    if (proof !== undefined)
      try {
        nonce = await dpop!.verify(proof, begun.token, token, request);
      } catch (error) {
        return refuse(operation, begun.started, cached !== undefined, token, asFailure(error), contexts.dpop);
      }
    return conclude(operation, request, token, begun.started, cached !== undefined, scheme, nonce);
  }

  function check(operation: string, request: StepUpRequest): Decision | Promise<Decision> {
    const begun = begin(operation, request);
    return begun.kind === 'decided' ? begun.decision : verifyThenConclude(operation, request, begun);
  }

  return {
    decide: async (operation, request) => check(operation, request),
    decideSync(operation, request) {
      const begun = begin(operation, request);
      return begun.kind === 'decided' ? begun.decision : undefined;
    },
    check,
    hasOperation: (operation) => policies.has(operation),
    assertOperation: (operation) => policies.assert(operation),
    operations: policies.names,
    levels,
    clearCache: () => cache?.clear(),
    metadata,
  };
}
