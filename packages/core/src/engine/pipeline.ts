import type { Decision, StepUpGrant } from '../decision.js';
import { checkPresentation, type Presented } from '../dpop/check-presentation.js';
import type { CheckedProof } from '../dpop/verify-proof.js';
import type { StepUpRequest } from '../request.js';
import {
  type Credentials,
  checkTokenCharacters,
  readCredentials,
  tokenOutsideHeader,
} from '../token/bearer.js';
import type { VerifiedToken } from '../token/types.js';
import type { Prepared } from '../token/verify.js';
import type { Engine } from './engine.js';
import { conclude, type Judging, judge } from './judge.js';
import { type Attempt, asFailure, refuse } from './refuse.js';

/** The first step of a decision: refused before any verification, a cached token, or a token to verify. */
type Begun =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | {
      readonly kind: 'cached';
      readonly token: VerifiedToken;
      readonly attempt: Attempt;
      readonly presented: Presented;
    }
  | {
      readonly kind: 'verify';
      readonly attempt: Attempt;
      readonly presented: Presented;
      /** Split and decoded, unless the caller will not verify (`decideSync`). */
      readonly prepared: Prepared | undefined;
    };

/**
 * Everything that needs no signature check: the credentials, the cache, the DPoP header, and, when
 * `prepare`, the split and decoded token (its errors are thrown later, by `verify`, in their place after
 * the DPoP header's). The token's characters (the b64token check, a regular expression over the whole
 * token) are scanned only when they can decide something: not for a token the cache holds (an entry
 * answers only for the exact string of a token that passed the check before it was verified; the scan
 * was a third of a cache hit's cost), not for one that splits as a compact JWS (whose canonical
 * base64url segments have no other characters; the scan was 1-2 µs of a cold decision). The order of
 * refusals is the same either way.
 */
function begin(engine: Engine, operation: string, request: StepUpRequest, prepare: boolean): Begun {
  engine.policies.assert(operation);
  const fresh: Attempt = { operation, started: engine.audit.start(), cached: false };
  let credentials: Credentials;
  let token: VerifiedToken | undefined;
  let prepared: Prepared | undefined;
  try {
    credentials = readCredentials(request, engine.maxTokenLength, engine.dpop !== undefined);
    token = engine.verifier.lookup(credentials.token);
    if (token === undefined) {
      prepared = prepare ? engine.verifier.prepare(credentials.token) : undefined;
      if (prepared === undefined || 'error' in prepared) checkTokenCharacters(credentials.token);
    }
  } catch (error) {
    return { kind: 'decided', decision: refuse(engine, fresh, asFailure(engine, error)) };
  }
  const { scheme, token: raw } = credentials;
  let proof: string | undefined;
  try {
    proof = engine.dpop?.readProof(request, scheme);
  } catch (error) {
    const context = engine.contexts[scheme];
    return { kind: 'decided', decision: refuse(engine, fresh, asFailure(engine, error), { context }) };
  }
  const presented: Presented = { scheme, token: raw, proof };
  return token === undefined
    ? { kind: 'verify', attempt: fresh, presented, prepared }
    : { kind: 'cached', token, attempt: { operation, started: fresh.started, cached: true }, presented };
}

/** The token's binding (`checkPresentation`), before any policy: the judging facts, or the refusal. */
function authenticate(
  engine: Engine,
  attempt: Attempt,
  request: StepUpRequest,
  token: VerifiedToken,
  presented: Presented,
): Judging | Decision {
  const { scheme } = presented;
  let proof: CheckedProof | undefined;
  try {
    proof = checkPresentation(engine.dpop, token, presented, request);
  } catch (error) {
    return refuse(engine, attempt, asFailure(engine, error), { token, context: engine.contexts[scheme] });
  }
  // Built member by member: a spread of `attempt` costs microseconds on the cold path.
  return {
    operation: attempt.operation,
    started: attempt.started,
    cached: attempt.cached,
    token,
    scheme,
    proof,
  };
}

/** `authenticate`, then `conclude`. */
function decideFor(
  engine: Engine,
  attempt: Attempt,
  request: StepUpRequest,
  token: VerifiedToken,
  presented: Presented,
): Decision | Promise<Decision> {
  const judging = authenticate(engine, attempt, request, token, presented);
  return 'allowed' in judging ? judging : conclude(engine, judging, request);
}

/** Verifies (synchronously when the backend can) and decides. */
function verifyThenDecide(
  engine: Engine,
  attempt: Attempt,
  request: StepUpRequest,
  presented: Presented,
  prepared: Prepared,
): Decision | Promise<Decision> {
  const context = engine.contexts[presented.scheme];
  let verified: VerifiedToken | Promise<VerifiedToken>;
  try {
    verified = engine.verifier.verify(prepared);
  } catch (error) {
    return refuse(engine, attempt, asFailure(engine, error), { context });
  }
  if (!(verified instanceof Promise)) return decideFor(engine, attempt, request, verified, presented);
  return verified.then(
    (token) => decideFor(engine, attempt, request, token, presented),
    (error: unknown) => refuse(engine, attempt, asFailure(engine, error), { context }),
  );
}

/**
 * The fast lane of a token the cache holds: the grant it got for `operation` last time (`rememberGrant`),
 * when this request presents it in exactly the same `Authorization` header (one header, the same
 * string), has no token in its query or body, and the cached verification still stands (key trusted,
 * time claims valid) and the requirement's `maxAge` is still met, by the same comparisons as the full
 * path. `undefined` for anything else: the full path then decides (and refuses, or deletes the entry).
 * Why: a repeated request otherwise walks the credentials, the cache, the presentation and the
 * requirement again to reach the same grant, and on a busy server, where little of that code and data
 * stays in the CPU's caches from one request to the next, that walk cost three times the lane's.
 */
function rememberedGrant(engine: Engine, operation: string, request: StepUpRequest): StepUpGrant | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || engine.dpop !== undefined) return undefined;
  const started = engine.audit.start();
  const nowMs = engine.now();
  const memo = engine.verifier.remembered(header, operation, nowMs);
  if (memo === undefined || tokenOutsideHeader(request)) return undefined;
  const { grant } = memo;
  const { maxAge } = grant.requirement;
  // As `assessRequirement` judges it (the freshness time of a token is its `authenticatedAt`).
  if (maxAge !== undefined && nowMs / 1000 - grant.token.authenticatedAt! > maxAge + engine.clockTolerance)
    return undefined;
  engine.audit.report(operation, started, true, grant.token, undefined, undefined);
  return grant;
}

/**
 * Keeps a cached token's grant for the fast lane (`rememberedGrant`) when nothing of the request but its
 * `Authorization` header went into it: no DPoP (a proof per request), the operation's static
 * requirement (not one computed from the request), no transaction (the request's details), no response
 * headers. Its other inputs are the token, the clock (checked again by the lane) and the engine's
 * configuration, which does not change.
 */
function rememberGrant(engine: Engine, request: StepUpRequest, token: string, grant: StepUpGrant): void {
  const header = request.headers.authorization;
  const { requirement } = grant;
  if (
    engine.dpop !== undefined ||
    typeof header !== 'string' ||
    !header.endsWith(token) ||
    requirement.transaction !== undefined ||
    grant.authorizationDetails !== undefined ||
    grant.headers !== undefined ||
    !engine.policies.isStatic(grant.operation, requirement)
  )
    return;
  engine.verifier.remember(token, {
    operation: grant.operation,
    prefix: header.slice(0, header.length - token.length),
    grant,
  });
}

/**
 * The decision as soon as it is known: synchronously unless verification, the policy or a single use
 * is asynchronous (see `StepUp.check`).
 */
export function check(
  engine: Engine,
  operation: string,
  request: StepUpRequest,
): Decision | Promise<Decision> {
  const remembered = rememberedGrant(engine, operation, request);
  if (remembered !== undefined) return remembered;
  const begun = begin(engine, operation, request, true);
  if (begun.kind === 'decided') return begun.decision;
  if (begun.kind === 'cached') {
    const decision = decideFor(engine, begun.attempt, request, begun.token, begun.presented);
    if (!(decision instanceof Promise) && decision.allowed)
      rememberGrant(engine, request, begun.presented.token, decision);
    return decision;
  }
  return verifyThenDecide(engine, begun.attempt, request, begun.presented, begun.prepared!);
}

/**
 * The decision when it needs nothing asynchronous, else `undefined` before anything asynchronous starts:
 * a cold token is not verified, an asynchronous requirement is dropped (it is pure; `decide` computes it
 * again), an approval's use is not recorded, so the `decide` that follows does not find it already used,
 * and a DPoP request is left whole to `decide` (its proof's `jti` is recorded only there; checking the
 * proof twice would cost twice).
 */
export function decideSync(engine: Engine, operation: string, request: StepUpRequest): Decision | undefined {
  const remembered = rememberedGrant(engine, operation, request);
  if (remembered !== undefined) return remembered;
  const begun = begin(engine, operation, request, false);
  if (begun.kind === 'decided') return begun.decision;
  if (begun.kind === 'verify' || begun.presented.scheme === 'dpop') return undefined;
  const judging = authenticate(engine, begun.attempt, request, begun.token, begun.presented);
  if ('allowed' in judging) return judging;
  const requirement = engine.policies.requirement(operation, request, begun.token);
  if (requirement instanceof Promise) {
    requirement.catch(() => undefined);
    return undefined;
  }
  const judged = judge(engine, judging, requirement);
  return judged.kind === 'decided' ? judged.decision : undefined;
}
