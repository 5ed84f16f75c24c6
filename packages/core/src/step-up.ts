import type { AuditEvent } from './audit.js';
import { renderError } from './challenge/render.js';
import { type ChallengeRendering, isStepUpError, StepUpError } from './errors.js';
import { parseOptions, type StepUpOptions } from './options.js';
import { evaluateRequirement } from './policy/evaluate.js';
import { AssuranceLevels } from './policy/levels.js';
import {
  type RequirementFn,
  type ResolvedRequirement,
  resolveComputed,
  resolveRequirement,
} from './policy/requirement.js';
import type { StepUpRequest } from './request.js';
import { extractBearerToken } from './token/bearer.js';
import { TokenCache } from './token/cache.js';
import type { VerifiedToken } from './token/types.js';
import { createTokenVerifier } from './token/verify.js';

/** An allowed decision: the verified token, the requirement it met and its named level. */
export interface StepUpGrant {
  readonly allowed: true;
  readonly operation: string;
  readonly token: VerifiedToken;
  readonly requirement: ResolvedRequirement;
  /** The named level of the token's acr, if any. */
  readonly level?: string;
}

/** A denial: the rendered `StepUpError` carries status, headers and body. */
export interface StepUpDenial {
  readonly allowed: false;
  readonly operation: string;
  readonly error: StepUpError;
}

/** The outcome of `decide`: a pure value. */
export type Decision = StepUpGrant | StepUpDenial;

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

function monotonic(): number {
  return performance.now();
}

/**
 * Creates the step-up engine: JWT access-token validation, per-operation assurance policies, and
 * RFC 6750 / RFC 9470 answers. Options are validated here, so a typo fails at boot, naming the field.
 *
 * Order of checks (REFERENCE §1): no credentials → malformed request → invalid token → user
 * authentication (acr, auth_time, amr) → scope. The token is always validated before any policy is
 * consulted, so an unauthenticated caller learns nothing about the policy.
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
  const levels = new AssuranceLevels(options.levels);
  const now = options.now ?? Date.now;
  const cache = options.cache === false ? undefined : new TokenCache(options.cache.max);
  const verifier = createTokenVerifier({
    issuers: options.issuers,
    levels,
    clockTolerance: options.clockTolerance,
    now,
    fetch: options.fetch,
    cache,
  });
  const rendering: ChallengeRendering = {
    realm: options.realm,
    resourceMetadata: options.resourceMetadata,
    formatChallenge: options.formatChallenge,
  };
  const policies = new Map<string, ResolvedRequirement | RequirementFn>();
  for (const [name, requirement] of Object.entries(options.operations)) {
    policies.set(
      name,
      typeof requirement === 'function' ? requirement : resolveRequirement(requirement, levels),
    );
  }
  const { audit, logger } = options;

  const report = (event: AuditEvent) => {
    if (audit === undefined) return;
    try {
      audit(event);
    } catch (error) {
      logger?.warn('stepup: the audit hook threw', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const assertOperation = (operation: string) => {
    if (!policies.has(operation))
      throw new StepUpError(
        'ERR_OPERATION_UNKNOWN',
        `No policy defines the operation ${JSON.stringify(operation)}`,
        {
          details: { operation },
        },
      );
  };

  const policyOf = (operation: string) => {
    const policy = policies.get(operation);
    if (policy === undefined) assertOperation(operation);
    return policy!;
  };

  /** Applies the policy to a verified token: a failure, or the requirement met. */
  const evaluate = (operation: string, request: StepUpRequest, token: VerifiedToken) => {
    const policy = policyOf(operation);
    const requirement =
      typeof policy === 'function' ? resolveComputed(operation, policy({ request, token }), levels) : policy;
    return {
      requirement,
      failure: evaluateRequirement(requirement, token, now() / 1000, options.clockTolerance),
    };
  };

  const conclude = (
    operation: string,
    started: number,
    cached: boolean,
    token: VerifiedToken | undefined,
    requirement: ResolvedRequirement | undefined,
    failure: StepUpError | undefined,
  ): Decision => {
    if (audit !== undefined) {
      const level = failure?.details.level ?? token?.level;
      report({
        operation,
        outcome: failure === undefined ? 'allow' : 'deny',
        status: failure?.status ?? 200,
        durationMs: monotonic() - started,
        cached,
        ...(failure === undefined ? {} : { code: failure.code }),
        ...(token === undefined ? {} : { sub: token.subject, issuer: token.issuer }),
        ...(token?.acr === undefined ? {} : { acr: token.acr }),
        ...(level === undefined ? {} : { level }),
      });
    }
    if (failure !== undefined) return { allowed: false, operation, error: renderError(failure, rendering) };
    return token!.level === undefined
      ? { allowed: true, operation, token: token!, requirement: requirement! }
      : { allowed: true, operation, token: token!, requirement: requirement!, level: token!.level };
  };

  /** A request error (bad credentials, invalid token) becomes a denial; programming errors propagate. */
  const asFailure = (error: unknown): StepUpError => {
    if (!isStepUpError(error) || error.code === 'ERR_POLICY_INVALID') throw error;
    if (error.code === 'ERR_JWKS_UNAVAILABLE')
      logger?.warn('stepup: JWKS unavailable', {
        cause: error.cause instanceof Error ? error.cause.message : '',
      });
    return error;
  };

  /** Everything that needs no signature check; `pending` carries the token to verify otherwise. */
  function begin(
    operation: string,
    request: StepUpRequest,
  ): { decision?: Decision; pending?: string; started: number } {
    policyOf(operation);
    const started = audit === undefined ? 0 : monotonic();
    let raw: string;
    try {
      raw = extractBearerToken(request, options.maxTokenLength);
    } catch (error) {
      return {
        decision: conclude(operation, started, false, undefined, undefined, asFailure(error)),
        started,
      };
    }
    const token = verifier.lookup(raw);
    if (token === undefined) return { pending: raw, started };
    const { requirement, failure } = evaluate(operation, request, token);
    return { decision: conclude(operation, started, true, token, requirement, failure), started };
  }

  async function decide(operation: string, request: StepUpRequest): Promise<Decision> {
    const { decision, pending, started } = begin(operation, request);
    if (decision !== undefined) return decision;
    let token: VerifiedToken;
    try {
      token = await verifier.verify(pending!);
    } catch (error) {
      return conclude(operation, started, false, undefined, undefined, asFailure(error));
    }
    const { requirement, failure } = evaluate(operation, request, token);
    return conclude(operation, started, false, token, requirement, failure);
  }

  return {
    decide,
    decideSync: (operation, request) => begin(operation, request).decision,
    hasOperation: (operation) => policies.has(operation),
    assertOperation,
    operations: [...policies.keys()],
    levels,
    clearCache: () => cache?.clear(),
  };
}
