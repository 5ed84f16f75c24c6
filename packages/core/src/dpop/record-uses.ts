import type { IssuerRules } from '../assurance/issuer-rules.js';
import type { StepUpLogger } from '../audit.js';
import type { StepUpError } from '../errors.js';
import type { ResolvedRequirement } from '../policy/requirement.js';
import type { ReplayStore } from '../stores/replay-store.js';
import type { VerifiedToken } from '../token/types.js';
import { useApproval } from '../transaction/use-approval.js';
import type { DpopCheck } from './dpop.js';
import type { CheckedProof } from './verify-proof.js';

/** What recording a request's single uses needs: the engine's DPoP step, approval store and world. */
export interface UseRecorder {
  readonly dpop: DpopCheck | undefined;
  /** Where single-use approvals are recorded (`transactions.store`). */
  readonly store: ReplayStore;
  readonly tolerance: number;
  readonly logger: StepUpLogger | undefined;
}

/**
 * Records the single uses of a request that passed every other check, in this order: the DPoP proof's
 * `jti` (RFC 9449 §11.1), then the approval of a single-use transaction (`useApproval`). A replayed
 * proof is thus refused before the approval is touched: a captured DPoP request sent again (with
 * another body, which the proof does not cover) never uses up the approval its first sending left. A
 * second use of the approval, or a store outage there, comes after the proof's `jti` was recorded: that
 * proof is spent, as every proof is once sent (a DPoP client makes a new proof for every request,
 * RFC 9449 §4.2), so a legitimate retry loses nothing.
 *
 * @returns `undefined` when everything was recorded, else the failure: `ERR_DPOP_PROOF_REPLAYED`,
 * `ERR_REPLAY_STORE_UNAVAILABLE`, or the failures of `useApproval`
 */
export async function recordUses(
  recorder: UseRecorder,
  operation: string,
  requirement: ResolvedRequirement,
  token: VerifiedToken,
  proof: CheckedProof | undefined,
  rules: IssuerRules | undefined,
): Promise<StepUpError | undefined> {
  if (proof !== undefined) {
    const failure = await recorder.dpop!.consume(proof);
    if (failure?.code === 'ERR_REPLAY_STORE_UNAVAILABLE')
      recorder.logger?.warn('stepup: replay store unavailable', {
        cause: failure.cause instanceof Error ? failure.cause.message : '',
      });
    if (failure !== undefined) return failure;
  }
  if (requirement.transaction?.once !== true) return undefined;
  return useApproval(recorder.store, operation, requirement, token, {
    tolerance: recorder.tolerance,
    logger: recorder.logger,
    rules,
  });
}
