import type { X509Certificate } from '../pki/certificates.js';
import { evaluateStatus, type StatusEvaluation } from '../status/evaluate-status.js';
import type { AuthenticatorFlags } from './attestation.js';
import { type AttestationResult, checkAttestation } from './check-attestation.js';
import { decide, type Verdict } from './decide.js';
import type { Classification, ClassificationEvidence } from './evidence.js';
import { type FoundEntry, findEntry, type MetadataSources } from './find-entry.js';
import type { ResolvedPolicy } from './policy.js';

/** What is known of a registration: read from its attestation object, or from stored evidence. */
export interface RegistrationFacts {
  readonly fmt: string;
  readonly aaguid: string;
  readonly keyId: string | undefined;
  readonly flags: AuthenticatorFlags;
  readonly x5c: readonly X509Certificate[];
  readonly authenticatorVersion: number | undefined;
  /** Evidence of version 1 kept no chain: its chain result of the day is carried instead. */
  readonly carried?: AttestationResult;
}

/** The world a classification runs in, validated. */
export interface ClassifyContext {
  readonly sources: MetadataSources;
  readonly policy: ResolvedPolicy;
  /** Status reports in effect at this moment. */
  readonly now: Date;
  /** When the attestation was made: its chain is verified at that moment. */
  readonly registeredAt: Date;
}

/**
 * The whole classification (REFERENCE §5) from the facts: the entry that rates the authenticator
 * (BLOB first, then local statements), the attestation chain against that entry's roots, the
 * effective status, the rules, and the evidence to keep. `classifyRegistration` and `reevaluate` both
 * run exactly this.
 */
export async function classifyFacts(facts: RegistrationFacts, ctx: ClassifyContext): Promise<Classification> {
  const found = findEntry(ctx.sources, facts.aaguid, facts.keyId);
  const attestation =
    facts.carried ?? (await checkAttestation(facts, found, ctx.sources.blob !== undefined, ctx.registeredAt));
  const status = found
    ? evaluateStatus(found.entry, {
        now: () => ctx.now.getTime(),
        ...(facts.authenticatorVersion === undefined
          ? {}
          : { authenticatorVersion: facts.authenticatorVersion }),
        assumeStatementAuthenticatorVersion: ctx.policy.assumeStatementAuthenticatorVersion,
        laterCertificationClearsCompromise: ctx.policy.laterCertificationClearsCompromise,
      })
    : undefined;
  const verdict = decide(
    { aaguid: facts.aaguid, flags: facts.flags, attestation },
    found,
    status,
    ctx.policy,
  );
  return {
    class: verdict[0],
    reasons: verdict[1],
    evidence: buildEvidence(facts, verdict, attestation, found, status, ctx),
  };
}

function buildEvidence(
  facts: RegistrationFacts,
  [cls, reasons]: Verdict,
  attestation: AttestationResult,
  found: FoundEntry | undefined,
  status: StatusEvaluation | undefined,
  ctx: ClassifyContext,
): ClassificationEvidence {
  const statement = found?.entry.metadataStatement;
  return {
    version: 2,
    class: cls,
    reasons: [...reasons],
    fmt: facts.fmt,
    aaguid: facts.aaguid,
    ...(facts.keyId === undefined ? {} : { attestationKeyId: facts.keyId }),
    ...(facts.authenticatorVersion === undefined ? {} : { authenticatorVersion: facts.authenticatorVersion }),
    flags: { ...facts.flags },
    attestation: prune({ ...attestation, x5c: attestation.x5c ? [...attestation.x5c] : undefined }),
    metadata: prune({
      source: found?.source,
      blobNo: ctx.sources.blob?.no,
      found: found !== undefined,
      lookup: found?.lookup,
      skipped: found?.skipped ? true : undefined,
      description: statement?.description,
      status: status?.status,
      effectiveDate: status?.effectiveDate,
      certificationLevel: status?.certificationLevel,
      keyProtection: statement?.keyProtection ? [...statement.keyProtection] : undefined,
      updateAvailable: status?.updateAvailable ? true : undefined,
    }),
    registeredAt: ctx.registeredAt.toISOString(),
    classifiedAt: ctx.now.toISOString(),
  };
}

/** Drops `undefined` members so the evidence is plain, stable JSON. */
function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
