import { z } from 'zod';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { fn, parseOptions, systemClock } from '../options.js';
import { parseCertificate, type X509Certificate } from '../pki/certificates.js';
import { validateChain } from '../pki/chain.js';
import type { MetadataStore } from '../store/types.js';
import { type AttestationFacts, type ClassifyInput, readAttestation } from './attestation.js';
import { decide, findEntry } from './decide.js';
import type { Classification, ClassificationEvidence } from './evidence.js';
import { type ClassificationPolicy, resolvePolicy } from './policy.js';

/** Options of {@link classifyRegistration}. */
export interface ClassifyOptions {
  /** Metadata to classify against. Absent (or a store without data): every attestation is unverified. */
  store?: MetadataStore | VerifiedBlob;
  policy?: ClassificationPolicy;
  /** The clock (certificate validity, status effective dates). Default: system time. */
  now?: () => Date;
}

/** Formats whose `x5c` chain is checked against the entry's `attestationRootCertificates`. */
const CHAIN_FORMATS: ReadonlySet<string> = new Set(['packed', 'tpm', 'android-key', 'fido-u2f', 'apple']);

const schema = z.object({
  store: z.custom<MetadataStore | VerifiedBlob>((v) => typeof v === 'object' && v !== null).optional(),
  policy: z.unknown().optional(),
  now: fn<() => Date>().optional(),
});

/**
 * Classifies a new credential (REFERENCE §5): `rejected | high | medium | low`, with stable
 * reason codes and plain-JSON evidence to store with the credential. The attestation `x5c` of
 * `packed`, `tpm`, `android-key`, `fido-u2f` and `apple` is checked against the metadata entry's
 * `attestationRootCertificates` (the chain must end in a certificate identical to, or issued by
 * name and signature by, a root; all valid at `now`). The entry is found by AAGUID, or by the
 * attestation key identifier when the AAGUID is zero (U2F).
 *
 * Does NOT check: the attestation signature, challenge, origin or RP ID (that is
 * `verifyRegistrationResponse`'s job — pass its `registrationInfo`, or only raw attestation
 * objects from registrations it accepted), the `id-fido-gen-ce-aaguid` extension, revocation of
 * attestation certificates (FIDO reports compromised attestation keys as a status instead).
 *
 * @example
 * ```ts
 * const { registrationInfo } = await verifyRegistrationResponse({ ... });
 * const result = await classifyRegistration({ registrationInfo }, { store, policy: { minCertificationLevel: 'FIDO_CERTIFIED_L2' } });
 * if (result.class === 'rejected') throw new Error(result.reasons.join());
 * await db.saveCredential({ ..., assurance: result.class, evidence: result.evidence });
 * ```
 */
export async function classifyRegistration(
  input: ClassifyInput,
  options: ClassifyOptions = {},
): Promise<Classification> {
  const opts = parseOptions(schema, options, 'classifyRegistration');
  const policy = resolvePolicy(options.policy);
  const now = (opts.now ?? systemClock)();
  const blob = resolveBlob(opts.store);
  const facts = await readAttestation(input);
  const attestation = await checkAttestation(facts, blob, now);
  return decide({ ...facts, attestation }, blob, policy, now);
}

/** The current BLOB of a store, the BLOB itself, or nothing. */
export function resolveBlob(source: MetadataStore | VerifiedBlob | undefined): VerifiedBlob | undefined {
  if (!source) return undefined;
  return 'current' in source ? source.current() : source;
}

async function checkAttestation(
  facts: AttestationFacts,
  blob: VerifiedBlob | undefined,
  now: Date,
): Promise<ClassificationEvidence['attestation']> {
  if (facts.fmt === 'none') return { kind: 'none', chain: 'not_checked' };
  if (!CHAIN_FORMATS.has(facts.fmt)) return { kind: 'unsupported', chain: 'not_checked' };
  if (facts.x5c.length === 0) return { kind: 'self', chain: 'not_checked' };
  if (!blob) return { kind: 'x5c', chain: 'not_checked', detail: 'metadata_unavailable' };
  const found = findEntry(blob, facts.aaguid, facts.keyId);
  if (!found) return { kind: 'x5c', chain: 'not_checked', detail: 'metadata_not_found' };
  const roots = (found.entry.metadataStatement?.attestationRootCertificates ?? [])
    .map((b64) => parseCertificate(b64))
    .filter((c): c is X509Certificate => c !== undefined);
  if (roots.length === 0) return { kind: 'x5c', chain: 'not_checked', detail: 'metadata_no_roots' };
  const result = await validateChain(facts.x5c, roots, now);
  if (!result.ok) return { kind: 'x5c', chain: 'failed', detail: result.reason };
  return { kind: 'x5c', chain: 'verified', match: result.match };
}
