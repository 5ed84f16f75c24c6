import { parseRoots } from '../options.js';
import { sameCertificate, type X509Certificate } from '../pki/certificates.js';
import { FIDO_MDS_ROOT_PEM, FIDO_MDS_SIGNER_COMMON_NAME } from './roots.js';

/** What a BLOB must chain to, and the names its signer may carry. */
export interface BlobTrust {
  readonly anchors: readonly X509Certificate[];
  /** Accepted common names of the signer (the `x5c` leaf), lower case; `undefined`: any signer. */
  readonly signerCommonNames: ReadonlySet<string> | undefined;
}

const productionRoot = parseRoots([FIDO_MDS_ROOT_PEM])[0]!;

/**
 * Parses the trust anchors and the signer pin. The pin defaults to `mds.fidoalliance.org` whenever the
 * bundled production root is among the anchors (given explicitly or by default): a public root signs many
 * certificates, so trusting it alone would accept a BLOB signed by any of them. With custom roots the pin
 * is optional. Given names replace the default.
 */
export function resolveTrust(
  roots: readonly string[] | undefined,
  signerCommonNames: readonly string[] | undefined,
): BlobTrust {
  const anchors = parseRoots(roots);
  const names =
    signerCommonNames ??
    (anchors.some((a) => sameCertificate(a, productionRoot)) ? [FIDO_MDS_SIGNER_COMMON_NAME] : undefined);
  return { anchors, signerCommonNames: names && new Set(names.map((n) => n.toLowerCase())) };
}

/** `true` when the certificate's subject has a common name (CN) among the pinned ones. */
export function signerMatches(cert: X509Certificate, names: ReadonlySet<string>): boolean {
  return cert.subjectName.getField('CN').some((cn) => names.has(cn.toLowerCase()));
}
