import type { VerifiedBlob } from '../blob/verified-blob.js';
import { MdsError } from '../errors.js';
import { systemClock } from '../options.js';
import type { MetadataStore } from '../store/types.js';
import { resolveBlob } from './classify-registration.js';
import { decide } from './decide.js';
import {
  type AssuranceClass,
  type ClassificationEvidence,
  evidenceSchema,
  type ReasonCode,
} from './evidence.js';
import { type ClassificationPolicy, resolvePolicy } from './policy.js';

/** A credential whose class changed under the new metadata. */
export interface ReevaluationChange {
  readonly id: string;
  readonly before: AssuranceClass;
  readonly after: AssuranceClass;
  readonly reasons: ReasonCode[];
  /** The new evidence, to store in place of the old one. */
  readonly evidence: ClassificationEvidence;
}

/**
 * Re-applies the classification rules to stored evidence with new metadata (and the policy in
 * force now), and lists the credentials whose class changed — e.g. a model since marked
 * `REVOKED` (→ `rejected`), or one whose certification was raised (→ `high`). Synchronous and
 * pure: the attestation chain result is taken from the evidence (it was verified against the
 * roots of its day); status, certification level and key protection come from `blob`.
 *
 * Does NOT re-verify attestation chains (the certificates are not stored): an attestation that
 * could not be checked at registration stays unchecked; re-classify from the attestation object
 * to upgrade it.
 *
 * @throws MdsError `ERR_EVIDENCE_INVALID` when a stored evidence does not have the expected shape.
 * @example
 * ```ts
 * for (const c of reevaluate(await db.allEvidence(), store)) await db.setAssurance(c.id, c.after, c.evidence);
 * ```
 */
export function reevaluate(
  stored: ReadonlyArray<{ id: string; evidence: unknown }>,
  blob: VerifiedBlob | MetadataStore,
  policy?: ClassificationPolicy,
  options: { now?: () => Date } = {},
): ReevaluationChange[] {
  const resolved = resolvePolicy(policy);
  const current = resolveBlob(blob);
  const now = (options.now ?? systemClock)();
  const changes: ReevaluationChange[] = [];
  for (const { id, evidence } of stored) {
    const parsed = evidenceSchema.safeParse(evidence);
    if (!parsed.success) {
      throw new MdsError(
        'ERR_EVIDENCE_INVALID',
        `evidence of credential ${id} is invalid`,
        {},
        { cause: parsed.error },
      );
    }
    const old = parsed.data;
    const facts = { ...old, keyId: old.attestationKeyId };
    const next = decide(facts, current, resolved, now);
    if (next.class !== old.class) {
      changes.push({
        id,
        before: old.class,
        after: next.class,
        reasons: next.reasons,
        evidence: next.evidence,
      });
    }
  }
  return changes;
}
