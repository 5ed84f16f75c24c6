import { parseCertificate, toBase64, type X509Certificate } from '../pki/certificates.js';
import { validateChain } from '../pki/chain.js';
import type { ClassificationEvidence } from './evidence.js';
import type { FoundEntry } from './find-entry.js';

/** Formats whose `x5c` chain is checked against the entry's `attestationRootCertificates`. */
const CHAIN_FORMATS: ReadonlySet<string> = new Set(['packed', 'tpm', 'android-key', 'fido-u2f', 'apple']);

export type AttestationResult = ClassificationEvidence['attestation'];

/**
 * Checks the attestation chain against the roots of the entry that rates the authenticator: every
 * certificate valid at `at` (the time the attestation was made), the chain ending in a certificate
 * identical to, or issued by (name and signature), one of the entry's `attestationRootCertificates`.
 * Keeps the chain (base64 DER) so it can be checked again against other roots later.
 */
export async function checkAttestation(
  facts: { readonly fmt: string; readonly x5c: readonly X509Certificate[] },
  found: FoundEntry | undefined,
  blobAvailable: boolean,
  at: Date,
): Promise<AttestationResult> {
  if (facts.fmt === 'none') return { kind: 'none', chain: 'not_checked' };
  if (!CHAIN_FORMATS.has(facts.fmt)) return { kind: 'unsupported', chain: 'not_checked' };
  if (facts.x5c.length === 0) return { kind: 'self', chain: 'not_checked' };
  const base = { kind: 'x5c', x5c: facts.x5c.map(toBase64) } as const;
  if (!found) {
    return {
      ...base,
      chain: 'not_checked',
      detail: blobAvailable ? 'metadata_not_found' : 'metadata_unavailable',
    };
  }
  if (found.skipped) return { ...base, chain: 'not_checked', detail: 'metadata_entry_invalid' };
  const roots = (found.entry.metadataStatement?.attestationRootCertificates ?? [])
    .map((root) => parseCertificate(root))
    .filter((c): c is X509Certificate => c !== undefined);
  if (roots.length === 0) return { ...base, chain: 'not_checked', detail: 'metadata_no_roots' };
  const result = await validateChain(facts.x5c, roots, at);
  if (!result.ok) return { ...base, chain: 'failed', detail: result.reason };
  return { ...base, chain: 'verified', match: result.match };
}
