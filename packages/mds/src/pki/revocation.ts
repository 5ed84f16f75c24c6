import 'reflect-metadata';
import { CRLDistributionPointsExtension, X509Crl } from '@peculiar/x509';
import { readLimited } from '../http.js';
import type { X509Certificate } from './certificates.js';

/** Revocation status of one certificate, as far as its CRLs tell. */
export type RevocationStatus = 'good' | 'revoked' | 'unavailable' | 'not_checked';

/** The revocation outcome for one certificate of a chain. */
export interface RevocationOutcome {
  readonly subject: string;
  readonly serialNumber: string;
  readonly status: RevocationStatus;
  /** For `unavailable`: why (`no_crl_url`, `crl_unreachable`, `crl_http_status`, `crl_malformed`,
   * `crl_signature`, `crl_issuer_mismatch`, `crl_not_yet_valid`, `crl_expired`, `crl_too_large`). */
  readonly reason?: string;
  readonly url?: string;
}

export interface RevocationContext {
  readonly fetch: typeof fetch;
  readonly now: Date;
  readonly maxCrlBytes: number;
  readonly timeoutMs: number;
}

const DEFAULT_MAX_CRL_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Defaults for the CRL download limits. */
export const CRL_DEFAULTS = { maxCrlBytes: DEFAULT_MAX_CRL_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS } as const;

/**
 * Checks `cert` against the CRLs named in its CRL distribution points (RFC 5280 §4.2.1.13,
 * §6.3): each CRL must be signed by `issuer`, name it as issuer, and be current at `now`
 * (`thisUpdate` ≤ now ≤ `nextUpdate`). The first usable CRL decides. Only `http:` and `https:`
 * URLs are fetched.
 *
 * Does NOT check: delta CRLs, indirect CRLs, OCSP, or the CRL's issuing distribution point scope.
 */
export async function checkRevocation(
  cert: X509Certificate,
  issuer: X509Certificate,
  ctx: RevocationContext,
): Promise<RevocationOutcome> {
  const base = { subject: cert.subject, serialNumber: cert.serialNumber };
  const urls = crlUrls(cert);
  if (urls.length === 0) return { ...base, status: 'unavailable', reason: 'no_crl_url' };
  let last: { reason: string; url: string } = { reason: 'crl_unreachable', url: urls[0]! };
  for (const url of urls) {
    const result = await checkOne(cert, issuer, url, ctx);
    if (result === 'good' || result === 'revoked') return { ...base, status: result, url };
    last = { reason: result, url };
  }
  return { ...base, status: 'unavailable', ...last };
}

function crlUrls(cert: X509Certificate): string[] {
  const ext = cert.getExtension(CRLDistributionPointsExtension);
  const urls: string[] = [];
  for (const point of ext?.distributionPoints ?? []) {
    for (const name of point.distributionPoint?.fullName ?? []) {
      const uri = name.uniformResourceIdentifier;
      if (uri && /^https?:\/\//i.test(uri)) urls.push(uri);
    }
  }
  return urls;
}

async function checkOne(
  cert: X509Certificate,
  issuer: X509Certificate,
  url: string,
  ctx: RevocationContext,
): Promise<'good' | 'revoked' | string> {
  let bytes: Uint8Array;
  try {
    const response = await ctx.fetch(url, { signal: AbortSignal.timeout(ctx.timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return 'crl_http_status';
    }
    bytes = await readLimited(response, ctx.maxCrlBytes);
  } catch (error) {
    return error instanceof Error && error.name === 'BodyTooLargeError' ? 'crl_too_large' : 'crl_unreachable';
  }
  let crl: X509Crl;
  try {
    crl = new X509Crl(Buffer.from(bytes));
  } catch {
    return 'crl_malformed';
  }
  if (crl.issuer !== issuer.subject) return 'crl_issuer_mismatch';
  if (!(await crl.verify({ publicKey: issuer.publicKey }).catch(() => false))) return 'crl_signature';
  const now = ctx.now.getTime();
  if (crl.thisUpdate.getTime() > now) return 'crl_not_yet_valid';
  if (crl.nextUpdate && crl.nextUpdate.getTime() < now) return 'crl_expired';
  return crl.findRevoked(cert) ? 'revoked' : 'good';
}
