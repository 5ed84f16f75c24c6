import { isCa, issuedBy, sameCertificate, validityAt, type X509Certificate } from './certificates.js';

/** Why a certificate chain was not accepted. */
export type ChainFailure =
  | 'empty'
  | 'expired'
  | 'not_yet_valid'
  | 'broken_chain'
  | 'not_ca'
  | 'untrusted_root';

/** A chain that reached a trust anchor. `issuers[i]` issued `path[i]`, or is `undefined` when
 * `path[i]` is itself the (byte-identical) anchor. */
export interface ChainSuccess {
  readonly ok: true;
  readonly path: readonly X509Certificate[];
  readonly issuers: readonly (X509Certificate | undefined)[];
  readonly anchor: X509Certificate;
  readonly match: 'issued_by' | 'identical';
}

export interface ChainFailureResult {
  readonly ok: false;
  readonly reason: ChainFailure;
  readonly subject?: string;
}

export type ChainResult = ChainSuccess | ChainFailureResult;

/**
 * Walks an ordered chain (leaf first, as JWS `x5c` and WebAuthn `x5c` require) until a certificate
 * is byte-identical to an anchor or is issued by one (issuer name and signature). Each certificate
 * walked must be valid at `now`; each one that issues the previous must be a CA. Anchors not
 * valid at `now` are ignored. Certificates after the one that reaches an anchor are ignored.
 *
 * Does NOT check: revocation (see `checkRevocation`), name constraints, policies, key usage or
 * unknown critical extensions.
 */
export async function validateChain(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  now: Date,
): Promise<ChainResult> {
  if (chain.length === 0) return { ok: false, reason: 'empty' };
  const validAnchors = anchors.filter((a) => validityAt(a, now) === 'valid');
  const issuers: (X509Certificate | undefined)[] = [];
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    const validity = validityAt(cert, now);
    if (validity !== 'valid') return { ok: false, reason: validity, subject: cert.subject };
    const identical = validAnchors.find((a) => sameCertificate(a, cert));
    if (identical) {
      issuers.push(undefined);
      return success(chain.slice(0, i + 1), issuers, identical, 'identical');
    }
    for (const anchor of validAnchors) {
      if (await issuedBy(cert, anchor)) {
        issuers.push(anchor);
        return success(chain.slice(0, i + 1), issuers, anchor, 'issued_by');
      }
    }
    const next = chain[i + 1];
    if (!next) break;
    if (!(await issuedBy(cert, next))) return { ok: false, reason: 'broken_chain', subject: cert.subject };
    if (!isCa(next)) return { ok: false, reason: 'not_ca', subject: next.subject };
    issuers.push(next);
  }
  return { ok: false, reason: 'untrusted_root', subject: chain[chain.length - 1]!.issuer };
}

function success(
  path: readonly X509Certificate[],
  issuers: readonly (X509Certificate | undefined)[],
  anchor: X509Certificate,
  match: 'issued_by' | 'identical',
): ChainSuccess {
  return { ok: true, path, issuers, anchor, match };
}
