import { createAuditReporter } from './audit.js';
import { bearerChallenge, renderError } from './challenge/render.js';
import { serializeChallenge } from './challenge/serialize.js';
import { type Decision, deny, grant } from './decision.js';
import { type ChallengeRendering, isStepUpError, StepUpError } from './errors.js';
import { parseOptions, type StepUpOptions } from './options.js';
import { assessRequirement } from './policy/evaluate.js';
import { AssuranceLevels } from './policy/levels.js';
import { PolicyRegistry } from './policy/registry.js';
import type { ResolvedRequirement } from './policy/requirement.js';
import type { StepUpRequest } from './request.js';
import { createMemoryReplayStore } from './stores/memory.js';
import { extractBearerToken } from './token/bearer.js';
import { TokenCache } from './token/cache.js';
import type { VerifiedToken } from './token/types.js';
import { createTokenVerifier } from './token/verify.js';
import type { AuthorizationDetail } from './transaction/schema.js';
import { useApproval } from './transaction/use-approval.js';

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
   * wait for a requirement computed asynchronously (which then runs again in `decide`), or record the
   * use of a single-use approval (never recorded here, so `decide` does not find it used).
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
}

/** The first step of a decision: refused before any verification, a cached token, or a token to verify. */
type Begun =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | { readonly kind: 'cached'; readonly token: VerifiedToken; readonly started: number }
  | { readonly kind: 'verify'; readonly token: string; readonly started: number };

/** A requirement applied to a token: the decision, or a single-use approval whose use is to be recorded. */
type Judged =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | { readonly kind: 'use'; readonly approved: readonly AuthorizationDetail[] | undefined };

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
 * authentication (acr, auth_time, amr) → transaction binding (RFC 9396 `authorization_details`) →
 * scope → single use of the approval (the replay store, last, so that a refused request never uses an
 * approval up). The token is always validated before any policy is consulted, so an unauthenticated
 * caller learns nothing about the policy.
 *
 * Does not implement DPoP (RFC 9449): DPoP-bound tokens presented as `Bearer` are not detected.
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
  const rendering: ChallengeRendering = {
    realm: options.realm,
    resourceMetadata: options.resourceMetadata,
    formatChallenge: options.formatChallenge,
  };
  checkRendering(rendering);
  const levels = new AssuranceLevels(options.levels);
  const policies = new PolicyRegistry(options.operations, levels);
  const now = options.now ?? Date.now;
  const { logger, clockTolerance, maxTokenLength } = options;
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

  const store = options.transactions.store ?? createMemoryReplayStore({ now });

  const refuse = (
    operation: string,
    started: number,
    cached: boolean,
    token: VerifiedToken | undefined,
    failure: StepUpError,
    approved?: readonly AuthorizationDetail[],
  ) => {
    audit.report(operation, started, cached, token, failure, approved);
    return deny(operation, renderError(failure, rendering, logger));
  };

  /** A request error (bad credentials, invalid token) becomes a failure; programming errors propagate. */
  const asFailure = (error: unknown): StepUpError => {
    if (!isStepUpError(error) || error.code === 'ERR_POLICY_INVALID') throw error;
    if (error.code === 'ERR_JWKS_UNAVAILABLE')
      logger?.warn('stepup: JWKS unavailable', {
        cause: error.cause instanceof Error ? error.cause.message : '',
      });
    return error;
  };

  /** Applies a resolved requirement: a decision, unless a single-use approval must be recorded first. */
  function judge(
    operation: string,
    requirement: ResolvedRequirement,
    token: VerifiedToken,
    started: number,
    cached: boolean,
  ): Judged {
    const { failure, approved } = assessRequirement(requirement, token, now() / 1000, clockTolerance);
    if (failure !== undefined)
      return { kind: 'decided', decision: refuse(operation, started, cached, token, failure, approved) };
    if (requirement.transaction?.once === true) return { kind: 'use', approved };
    audit.report(operation, started, cached, token, undefined, approved);
    return { kind: 'decided', decision: grant(operation, token, requirement, approved) };
  }

  /** Records the approval's use (`useApproval`), then grants, or refuses a second use. */
  async function useThenGrant(
    operation: string,
    requirement: ResolvedRequirement,
    token: VerifiedToken,
    approved: readonly AuthorizationDetail[] | undefined,
    started: number,
    cached: boolean,
  ): Promise<Decision> {
    const failure = await useApproval(store, operation, requirement, token, {
      tolerance: clockTolerance,
      logger,
    });
    if (failure !== undefined) return refuse(operation, started, cached, token, failure, approved);
    audit.report(operation, started, cached, token, undefined, approved);
    return grant(operation, token, requirement, approved);
  }

  function finish(
    operation: string,
    requirement: ResolvedRequirement,
    token: VerifiedToken,
    started: number,
    cached: boolean,
  ): Decision | Promise<Decision> {
    const judged = judge(operation, requirement, token, started, cached);
    if (judged.kind === 'decided') return judged.decision;
    return useThenGrant(operation, requirement, token, judged.approved, started, cached);
  }

  /** Applies the operation's policy to a verified token (asynchronously when the policy or the store is). */
  function conclude(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
    cached: boolean,
  ): Decision | Promise<Decision> {
    const requirement = policies.requirement(operation, request, token);
    if (requirement instanceof Promise)
      return requirement.then((resolved) => finish(operation, resolved, token, started, cached));
    return finish(operation, requirement, token, started, cached);
  }

  /**
   * `conclude` when it needs nothing asynchronous, else `undefined` before anything asynchronous starts:
   * an asynchronous requirement is dropped (it is pure; `decide` computes it again), and an approval's
   * use is not recorded, so the `decide` that follows does not find it already used.
   */
  function concludeSync(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
  ): Decision | undefined {
    const requirement = policies.requirement(operation, request, token);
    if (requirement instanceof Promise) {
      requirement.catch(() => undefined);
      return undefined;
    }
    const judged = judge(operation, requirement, token, started, true);
    return judged.kind === 'decided' ? judged.decision : undefined;
  }

  /** Everything that needs no signature check. */
  function begin(operation: string, request: StepUpRequest): Begun {
    policies.assert(operation);
    const started = audit.start();
    let raw: string;
    try {
      raw = extractBearerToken(request, maxTokenLength);
    } catch (error) {
      return { kind: 'decided', decision: refuse(operation, started, false, undefined, asFailure(error)) };
    }
    const token = verifier.lookup(raw);
    return token === undefined ? { kind: 'verify', token: raw, started } : { kind: 'cached', token, started };
  }

  async function verifyThenConclude(
    operation: string,
    request: StepUpRequest,
    begun: Extract<Begun, { kind: 'verify' }>,
  ): Promise<Decision> {
    let token: VerifiedToken;
    try {
      token = await verifier.verify(begun.token);
    } catch (error) {
      return refuse(operation, begun.started, false, undefined, asFailure(error));
    }
    return conclude(operation, request, token, begun.started, false);
  }

  function check(operation: string, request: StepUpRequest): Decision | Promise<Decision> {
    const begun = begin(operation, request);
    if (begun.kind === 'decided') return begun.decision;
    if (begun.kind === 'cached') return conclude(operation, request, begun.token, begun.started, true);
    return verifyThenConclude(operation, request, begun);
  }

  return {
    decide: async (operation, request) => check(operation, request),
    decideSync(operation, request) {
      const begun = begin(operation, request);
      if (begun.kind === 'decided') return begun.decision;
      return begun.kind === 'cached'
        ? concludeSync(operation, request, begun.token, begun.started)
        : undefined;
    },
    check,
    hasOperation: (operation) => policies.has(operation),
    assertOperation: (operation) => policies.assert(operation),
    operations: policies.names,
    levels,
    clearCache: () => cache?.clear(),
  };
}
