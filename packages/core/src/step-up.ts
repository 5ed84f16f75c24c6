import { issuerRendering } from './assurance/issuer-rendering.js';
import { createIssuerRules } from './assurance/issuer-rules.js';
import { createAuditReporter } from './audit.js';
import { checkRendering } from './challenge/check-rendering.js';
import { type RenderContext, renderError } from './challenge/render.js';
import { type Decision, deny, grant } from './decision.js';
import { checkPresentation, type Presented } from './dpop/check-presentation.js';
import { createDpopCheck } from './dpop/dpop.js';
import { recordUses, type UseRecorder } from './dpop/record-uses.js';
import type { CheckedProof } from './dpop/verify-proof.js';
import { type ChallengeRendering, isStepUpError, type StepUpError } from './errors.js';
import { createMetadata, type ProtectedResourceMetadata } from './metadata/metadata.js';
import { parseOptions, type StepUpOptions } from './options.js';
import { assessRequirement } from './policy/evaluate.js';
import { AssuranceLevels } from './policy/levels.js';
import { PolicyRegistry } from './policy/registry.js';
import type { ResolvedRequirement } from './policy/requirement.js';
import type { StepUpRequest } from './request.js';
import { createMemoryReplayStore } from './stores/memory.js';
import { type Credentials, extractCredentials } from './token/bearer.js';
import { TokenCache } from './token/cache.js';
import type { VerifiedToken } from './token/types.js';
import { createTokenVerifier } from './token/verify.js';
import type { AuthorizationDetail } from './transaction/schema.js';

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

/** The first step of a decision: refused before any verification, a cached token, or a token to verify. */
type Begun =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | {
      readonly kind: 'cached';
      readonly token: VerifiedToken;
      readonly started: number;
      readonly presented: Presented;
    }
  | { readonly kind: 'verify'; readonly started: number; readonly presented: Presented };

/** One decision's facts, once its token is verified (and, for DPoP, its proof checked). */
interface Judging {
  readonly operation: string;
  readonly token: VerifiedToken;
  readonly started: number;
  readonly cached: boolean;
  readonly scheme: Credentials['scheme'];
  /** The DPoP proof that passed every check but its `jti`'s first use. */
  readonly proof: CheckedProof | undefined;
}

/**
 * A requirement applied to a token: the decision, or single uses to record before granting (the DPoP
 * proof's `jti`, the approval of a single-use transaction).
 */
type Judged =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | { readonly kind: 'record'; readonly approved: readonly AuthorizationDetail[] | undefined };

/** What a refusal's challenges need to know of the request: with DPoP, the scheme it used. */
const SCHEMES = { bearer: { scheme: 'bearer' }, dpop: { scheme: 'dpop' } } as const;
const NO_SCHEMES = { bearer: undefined, dpop: undefined } as const;

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
  const contexts: Readonly<Record<Credentials['scheme'], RenderContext | undefined>> =
    dpop === undefined ? NO_SCHEMES : SCHEMES;
  const levels = new AssuranceLevels(options.levels);
  const policies = new PolicyRegistry(options.operations, levels);
  // Each issuer's tokens are read and answered by its own rules (`issuers[i].assurance`).
  const rules = createIssuerRules(options.issuers, levels, options.levels);
  const renderings = new Map([...rules].map(([issuer, r]) => [issuer, issuerRendering(r, rendering)]));
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

  const recorder: UseRecorder = {
    dpop,
    store: options.transactions.store ?? createMemoryReplayStore({ now }),
    tolerance: clockTolerance,
    logger,
  };

  const refuse = (
    operation: string,
    started: number,
    cached: boolean,
    token: VerifiedToken | undefined,
    failure: StepUpError,
    context?: RenderContext,
    approved?: readonly AuthorizationDetail[],
  ) => {
    audit.report(operation, started, cached, token, failure, approved);
    const answer = token === undefined ? rendering : renderings.get(token.issuer)!;
    return deny(operation, renderError(failure, answer, logger, context));
  };
  /** `refuse` for a verified token: its issuer's rendering, the scheme the request used. */
  const refuseJudged = (j: Judging, failure: StepUpError, approved?: readonly AuthorizationDetail[]) =>
    refuse(j.operation, j.started, j.cached, j.token, failure, contexts[j.scheme], approved);

  /** A request error (bad credentials, invalid token) becomes a failure; programming errors propagate. */
  const asFailure = (error: unknown): StepUpError => {
    if (!isStepUpError(error) || error.code === 'ERR_POLICY_INVALID') throw error;
    if (error.code === 'ERR_JWKS_UNAVAILABLE')
      logger?.warn('stepup: JWKS unavailable', {
        cause: error.cause instanceof Error ? error.cause.message : '',
      });
    return error;
  };

  /** Applies a resolved requirement: a decision, unless single uses must be recorded first. */
  function judge(j: Judging, requirement: ResolvedRequirement): Judged {
    const issuerRules = rules.get(j.token.issuer)!;
    issuerRules.checkProvable(j.operation, requirement.maxAge);
    const { failure, approved } = assessRequirement(
      requirement,
      j.token,
      now() / 1000,
      clockTolerance,
      issuerRules,
    );
    if (failure !== undefined) return { kind: 'decided', decision: refuseJudged(j, failure, approved) };
    if (j.proof !== undefined || requirement.transaction?.once === true) return { kind: 'record', approved };
    audit.report(j.operation, j.started, j.cached, j.token, undefined, approved);
    return { kind: 'decided', decision: grant(j.operation, j.token, requirement, approved) };
  }

  /** Records the single uses (`recordUses`: the DPoP proof's `jti`, then the approval), then grants. */
  async function recordThenGrant(
    j: Judging,
    requirement: ResolvedRequirement,
    approved: readonly AuthorizationDetail[] | undefined,
  ): Promise<Decision> {
    const issuerRules = rules.get(j.token.issuer);
    const failure = await recordUses(recorder, j.operation, requirement, j.token, j.proof, issuerRules);
    if (failure !== undefined) return refuseJudged(j, failure, approved);
    audit.report(j.operation, j.started, j.cached, j.token, undefined, approved);
    const nonce = j.proof?.nonce;
    const headers = nonce === undefined ? undefined : { 'dpop-nonce': nonce };
    return grant(j.operation, j.token, requirement, approved, headers);
  }

  function finish(j: Judging, requirement: ResolvedRequirement): Decision | Promise<Decision> {
    const judged = judge(j, requirement);
    return judged.kind === 'decided' ? judged.decision : recordThenGrant(j, requirement, judged.approved);
  }

  /** Applies the operation's policy (asynchronously when the policy or the store is). */
  function conclude(j: Judging, request: StepUpRequest): Decision | Promise<Decision> {
    const requirement = policies.requirement(j.operation, request, j.token);
    if (requirement instanceof Promise) return requirement.then((resolved) => finish(j, resolved));
    return finish(j, requirement);
  }

  /** The token's binding (`checkPresentation`), before any policy: the judging facts, or the refusal. */
  function authenticate(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
    cached: boolean,
    presented: Presented,
  ): Judging | Decision {
    const { scheme } = presented;
    let proof: CheckedProof | undefined;
    try {
      proof = checkPresentation(dpop, token, presented, request);
    } catch (error) {
      return refuse(operation, started, cached, token, asFailure(error), contexts[scheme]);
    }
    return { operation, token, started, cached, scheme, proof };
  }

  /** `authenticate`, then `conclude`. */
  function decideFor(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
    cached: boolean,
    presented: Presented,
  ): Decision | Promise<Decision> {
    const judging = authenticate(operation, request, token, started, cached, presented);
    return 'allowed' in judging ? judging : conclude(judging, request);
  }

  /**
   * `decideFor` when it needs nothing asynchronous, else `undefined` before anything asynchronous starts:
   * an asynchronous requirement is dropped (it is pure; `decide` computes it again), an approval's use is
   * not recorded, so the `decide` that follows does not find it already used, and a DPoP request is left
   * whole to `decide` (its proof's `jti` is recorded only there; checking the proof twice would cost twice).
   */
  function concludeSync(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
    started: number,
    presented: Presented,
  ): Decision | undefined {
    if (presented.scheme === 'dpop') return undefined;
    const judging = authenticate(operation, request, token, started, true, presented);
    if ('allowed' in judging) return judging;
    const requirement = policies.requirement(operation, request, token);
    if (requirement instanceof Promise) {
      requirement.catch(() => undefined);
      return undefined;
    }
    const judged = judge(judging, requirement);
    return judged.kind === 'decided' ? judged.decision : undefined;
  }

  /** Everything that needs no signature check: the credentials, the DPoP header, the cache. */
  function begin(operation: string, request: StepUpRequest): Begun {
    policies.assert(operation);
    const started = audit.start();
    let credentials: Credentials;
    try {
      credentials = extractCredentials(request, maxTokenLength, dpop !== undefined);
    } catch (error) {
      return { kind: 'decided', decision: refuse(operation, started, false, undefined, asFailure(error)) };
    }
    const { scheme, token: raw } = credentials;
    let proof: string | undefined;
    try {
      proof = dpop?.readProof(request, scheme);
    } catch (error) {
      const failure = asFailure(error);
      return {
        kind: 'decided',
        decision: refuse(operation, started, false, undefined, failure, contexts[scheme]),
      };
    }
    const presented: Presented = { scheme, token: raw, proof };
    const token = verifier.lookup(raw);
    return token === undefined
      ? { kind: 'verify', started, presented }
      : { kind: 'cached', token, started, presented };
  }

  /** Verifies (synchronously when the backend can) and decides. */
  function verifyThenDecide(
    operation: string,
    request: StepUpRequest,
    begun: Extract<Begun, { kind: 'verify' }>,
  ): Decision | Promise<Decision> {
    const { started, presented } = begun;
    const context = contexts[presented.scheme];
    let verified: VerifiedToken | Promise<VerifiedToken>;
    try {
      verified = verifier.verify(presented.token);
    } catch (error) {
      return refuse(operation, started, false, undefined, asFailure(error), context);
    }
    if (!(verified instanceof Promise))
      return decideFor(operation, request, verified, started, false, presented);
    return verified.then(
      (token) => decideFor(operation, request, token, started, false, presented),
      (error: unknown) => refuse(operation, started, false, undefined, asFailure(error), context),
    );
  }

  function check(operation: string, request: StepUpRequest): Decision | Promise<Decision> {
    const begun = begin(operation, request);
    if (begun.kind === 'decided') return begun.decision;
    if (begun.kind === 'cached')
      return decideFor(operation, request, begun.token, begun.started, true, begun.presented);
    return verifyThenDecide(operation, request, begun);
  }

  return {
    decide: async (operation, request) => check(operation, request),
    decideSync(operation, request) {
      const begun = begin(operation, request);
      if (begun.kind === 'decided') return begun.decision;
      return begun.kind === 'cached'
        ? concludeSync(operation, request, begun.token, begun.started, begun.presented)
        : undefined;
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
