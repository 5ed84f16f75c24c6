import { MdsError } from '../errors.js';
import { parseCertificate, type X509Certificate } from '../pki/certificates.js';
import { type ClassifyContext, classifyFacts, type RegistrationFacts } from './classify-facts.js';
import {
  type AssuranceClass,
  type ClassificationEvidence,
  type ClassificationEvidenceV1,
  evidenceSchema,
  type ReasonCode,
} from './evidence.js';
import { type ClassifyOptions, resolveClassifyOptions } from './options.js';

/** The outcome for one stored credential. */
export type ReevaluationResult =
  | {
      readonly id: string;
      readonly ok: true;
      readonly before: AssuranceClass;
      readonly after: AssuranceClass;
      /** `true` when `after` differs from `before`. */
      readonly changed: boolean;
      readonly reasons: ReasonCode[];
      /** The new evidence (version 2), to store in place of the old one. */
      readonly evidence: ClassificationEvidence;
    }
  | {
      readonly id: string;
      readonly ok: false;
      /** `ERR_EVIDENCE_INVALID`: the stored evidence does not have a shape this package wrote. */
      readonly error: MdsError;
    };

/**
 * Runs the full classification again for every stored credential, with the metadata and policy in
 * force now, and returns one result per credential, in order (a bad evidence fails only its own
 * result). From evidence version 2 the attestation chain is verified again against the roots of the
 * entry that rates the model today (a new BLOB, a local statement), at the time the attestation was
 * made (`registeredAt`): a key registered while no metadata listed it becomes `high` once its model is
 * listed with roots its chain reaches, and one whose model was since revoked becomes `rejected`.
 *
 * Evidence version 1 kept no chain: its chain result of the day is carried, so such a credential
 * cannot be upgraded by new roots (re-classify it from its attestation object).
 *
 * Does NOT re-check the attestation signature: `verifyRegistrationResponse` did at registration, and
 * the evidence is your own record of a verified registration (keep it where users cannot write).
 *
 * @throws MdsError `ERR_CONFIG_INVALID` for bad options (before any credential is looked at).
 * @example
 * ```ts
 * for (const r of await reevaluate(await db.allEvidence(), { store })) {
 *   if (r.ok && r.changed) await db.setAssurance(r.id, r.after, r.evidence);
 *   else if (!r.ok) log.warn({ credential: r.id, code: r.error.code });
 * }
 * ```
 */
export async function reevaluate(
  stored: ReadonlyArray<{ readonly id: string; readonly evidence: unknown }>,
  options: ClassifyOptions = {},
): Promise<ReevaluationResult[]> {
  const { sources, policy, now } = resolveClassifyOptions(options, 'reevaluate');
  const results: ReevaluationResult[] = [];
  for (const { id, evidence } of stored) {
    const parsed = evidenceSchema.safeParse(evidence);
    const facts = parsed.success ? factsOf(parsed.data) : undefined;
    if (!parsed.success || !facts) {
      const cause = parsed.success ? undefined : parsed.error;
      const error = new MdsError('ERR_EVIDENCE_INVALID', `evidence of credential ${id} is invalid`, {
        cause,
      });
      results.push({ id, ok: false, error });
      continue;
    }
    const ctx: ClassifyContext = { sources, policy, now, registeredAt: facts.registeredAt };
    const next = await classifyFacts(facts.facts, ctx);
    const before = parsed.data.class;
    results.push({
      id,
      ok: true,
      before,
      after: next.class,
      changed: next.class !== before,
      reasons: next.reasons,
      evidence: next.evidence,
    });
  }
  return results;
}

/** The registration facts an evidence holds, or `undefined` when its chain or dates do not parse. */
function factsOf(
  e: ClassificationEvidence | ClassificationEvidenceV1,
): { facts: RegistrationFacts; registeredAt: Date } | undefined {
  const registeredAt = new Date(e.version === 2 ? e.registeredAt : e.classifiedAt);
  if (Number.isNaN(registeredAt.getTime())) return undefined;
  const base = { fmt: e.fmt, aaguid: e.aaguid, keyId: e.attestationKeyId, flags: e.flags };
  if (e.version === 1) {
    const carried = { ...e.attestation };
    return { facts: { ...base, x5c: [], authenticatorVersion: undefined, carried }, registeredAt };
  }
  const x5c: X509Certificate[] = [];
  for (const b64 of e.attestation.x5c ?? []) {
    const cert = parseCertificate(b64);
    if (!cert) return undefined;
    x5c.push(cert);
  }
  // Kind `x5c` without a chain: converted from version 1, so its chain result is carried again.
  const carried = e.attestation.kind === 'x5c' && x5c.length === 0 ? { ...e.attestation } : undefined;
  return {
    facts: {
      ...base,
      x5c,
      authenticatorVersion: e.authenticatorVersion,
      ...(carried ? { carried } : {}),
    },
    registeredAt,
  };
}
