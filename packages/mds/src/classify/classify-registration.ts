import { type ClassifyInput, readAttestation } from './attestation.js';
import { classifyFacts } from './classify-facts.js';
import type { Classification } from './evidence.js';
import { type ClassifyOptions, resolveClassifyOptions } from './options.js';

/**
 * Classifies a new credential (REFERENCE §5): `rejected | high | medium | low`, with stable
 * reason codes and plain-JSON evidence (version 2) to store with the credential. The entry that rates
 * the authenticator is the BLOB's (by AAGUID, or by attestation key identifier for the zero AAGUID of
 * U2F), else a local statement's; the BLOB always wins, so a local statement never hides a revocation.
 * The attestation `x5c` of `packed`, `tpm`, `android-key`, `fido-u2f` and `apple` is checked against
 * that entry's `attestationRootCertificates` (the chain must end in a certificate identical to, or
 * issued by name and signature by, a root; all valid at `now`), and kept in the evidence so
 * `reevaluate` can check it again against new roots.
 *
 * Does NOT check: the attestation signature, challenge, origin or RP ID (that is
 * `verifyRegistrationResponse`'s job — pass its `registrationInfo`, or only raw attestation
 * objects from registrations it accepted), the `id-fido-gen-ce-aaguid` extension, revocation of
 * attestation certificates (FIDO reports compromised attestation keys as a status instead).
 *
 * @throws MdsError `ERR_CONFIG_INVALID` (options, policy, local statements), `ERR_ATTESTATION_MALFORMED`.
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
  const { sources, policy, now } = resolveClassifyOptions(options, 'classifyRegistration');
  const facts = await readAttestation(input);
  return classifyFacts(facts, { sources, policy, now, registeredAt: now });
}
