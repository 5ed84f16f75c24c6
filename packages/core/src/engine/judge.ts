import { type Decision, grant } from '../decision.js';
import { recordUses } from '../dpop/record-uses.js';
import type { CheckedProof } from '../dpop/verify-proof.js';
import { assessRequirement } from '../policy/evaluate.js';
import type { ResolvedRequirement } from '../policy/requirement.js';
import type { StepUpRequest } from '../request.js';
import type { Credentials } from '../token/bearer.js';
import type { VerifiedToken } from '../token/types.js';
import type { AuthorizationDetail } from '../transaction/schema.js';
import type { Engine } from './engine.js';
import { type Attempt, refuse } from './refuse.js';

/** A decision's facts once its token is verified (and, for DPoP, its proof checked). */
export interface Judging extends Attempt {
  readonly token: VerifiedToken;
  readonly scheme: Credentials['scheme'];
  /** The DPoP proof that passed every check but its `jti`'s first use. */
  readonly proof: CheckedProof | undefined;
}

/**
 * A requirement applied to a token: the decision, or single uses to record before granting (the DPoP
 * proof's `jti`, the approval of a single-use transaction).
 */
export type Judged =
  | { readonly kind: 'decided'; readonly decision: Decision }
  | { readonly kind: 'record'; readonly approved: readonly AuthorizationDetail[] | undefined };

const refuseJudged = (
  engine: Engine,
  j: Judging,
  failure: Parameters<typeof refuse>[2],
  approved?: readonly AuthorizationDetail[],
) => refuse(engine, j, failure, { token: j.token, context: engine.contexts[j.scheme], approved });

/** Applies a resolved requirement (pure): a decision, unless single uses must be recorded first. */
export function judge(engine: Engine, j: Judging, requirement: ResolvedRequirement): Judged {
  const issuerRules = engine.rules.get(j.token.issuer)!;
  issuerRules.checkProvable(j.operation, requirement.maxAge);
  const { failure, approved } = assessRequirement(
    requirement,
    j.token,
    engine.now() / 1000,
    engine.clockTolerance,
    issuerRules,
  );
  if (failure !== undefined) return { kind: 'decided', decision: refuseJudged(engine, j, failure, approved) };
  if (j.proof !== undefined || requirement.transaction?.once === true) return { kind: 'record', approved };
  engine.audit.report(j.operation, j.started, j.cached, j.token, undefined, approved);
  return { kind: 'decided', decision: grant(j.operation, j.token, requirement, approved) };
}

/** Records the single uses (`recordUses`: the DPoP proof's `jti`, then the approval), then grants. */
async function recordThenGrant(
  engine: Engine,
  j: Judging,
  requirement: ResolvedRequirement,
  approved: readonly AuthorizationDetail[] | undefined,
): Promise<Decision> {
  const issuerRules = engine.rules.get(j.token.issuer);
  const failure = await recordUses(engine.recorder, j.operation, requirement, j.token, j.proof, issuerRules);
  if (failure !== undefined) return refuseJudged(engine, j, failure, approved);
  engine.audit.report(j.operation, j.started, j.cached, j.token, undefined, approved);
  const nonce = j.proof?.nonce;
  const headers = nonce === undefined ? undefined : { 'dpop-nonce': nonce };
  return grant(j.operation, j.token, requirement, approved, headers);
}

function finish(engine: Engine, j: Judging, requirement: ResolvedRequirement): Decision | Promise<Decision> {
  const judged = judge(engine, j, requirement);
  return judged.kind === 'decided'
    ? judged.decision
    : recordThenGrant(engine, j, requirement, judged.approved);
}

/** Applies the operation's policy: asynchronously only when the policy or a single use is. */
export function conclude(engine: Engine, j: Judging, request: StepUpRequest): Decision | Promise<Decision> {
  const requirement = engine.policies.requirement(j.operation, request, j.token);
  if (requirement instanceof Promise) return requirement.then((resolved) => finish(engine, j, resolved));
  return finish(engine, j, requirement);
}
