import { issuerRendering } from './assurance/issuer-rendering.js';
import { createIssuerRules } from './assurance/issuer-rules.js';
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
   * The decision as soon as it is known, without doing the first steps twice (for adapters): a
   * `Decision` when nothing asynchronous is needed (the cases of `decideSync`, and a cold token the
   * native backend verifies synchronously with its issuer's keys at hand), else a promise of it (as
   * `decide`): keys to fetch, the jose backend, a requirement computed asynchronously, or the single
   * use of an approval to record.
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
 * Each issuer's tokens are judged and answered by that issuer's rules (`issuers[i].assurance`, filled
 * in by the `@stepup/core/profiles` functions): which claim states the level, which says when the user
 * authenticated, and the challenge dialect. A request refused before a token is verified (no token,
 * malformed, invalid) has no trusted issuer and gets the default RFC 6750 Bearer challenge.
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
  // Each issuer's tokens are read and answered by its own rules (`issuers[i].assurance`).
  const rules = createIssuerRules(options.issuers, levels, options.levels);
  const renderings = new Map([...rules].map(([issuer, r]) => [issuer, issuerRendering(r, rendering)]));
  const now = options.now ?? Date.now;
  const { logger, clockTolerance, maxTokenLength } = options;
  const cache = options.cache === false ? undefined : new TokenCache(options.cache.max);
  const verifier = createTokenVerifier({
    issuers: options.issuers,
    rules,
    clockTolerance,
    now,
    fetch: options.fetch ?? globalThis.fetch,
    cache,
    backend: options.backend,
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
    const answer = token === undefined ? rendering : renderings.get(token.issuer)!;
    return deny(operation, renderError(failure, answer, logger));
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
    const issuerRules = rules.get(token.issuer)!;
    issuerRules.checkProvable(operation, requirement.maxAge);
    const { failure, approved } = assessRequirement(
      requirement,
      token,
      now() / 1000,
      clockTolerance,
      issuerRules,
    );
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
      rules: rules.get(token.issuer),
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

  /** Verifies (synchronously when the backend can) and applies the policy. */
  function verifyThenConclude(
    operation: string,
    request: StepUpRequest,
    begun: Extract<Begun, { kind: 'verify' }>,
  ): Decision | Promise<Decision> {
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verifier.verify(begun.token);
    } catch (error) {
      return refuse(operation, begun.started, false, undefined, asFailure(error));
    }
    if (!(verified instanceof Promise)) return conclude(operation, request, verified, begun.started, false);
    return verified.then(
      (token) => conclude(operation, request, token, begun.started, false),
      (error: unknown) => refuse(operation, begun.started, false, undefined, asFailure(error)),
    );
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
