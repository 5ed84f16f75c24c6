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
   * `crl_signature`, `crl_issuer_mismatch`, `crl_not_yet_valid`, `crl_expired`, `crl_too_large`,
   * `crl_not_provided`). */
  readonly reason?: string;
  readonly url?: string;
}

export interface RevocationContext {
  readonly fetch: typeof fetch;
  readonly now: Date;
  readonly maxCrlBytes: number;
  readonly timeoutMs: number;
  /** CRLs given by the caller: when set, they are used instead of downloading (nothing is fetched). */
  readonly crls: readonly X509Crl[] | undefined;
}

const DEFAULT_MAX_CRL_BYTES = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/** Defaults for the CRL download limits. */
export const CRL_DEFAULTS = { maxCrlBytes: DEFAULT_MAX_CRL_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS } as const;

type Verdict = 'good' | 'revoked' | string;

/**
 * Checks `cert` against CRLs of its issuer (RFC 5280 §6.3): the given `crls` when there are any, else
 * those named in its CRL distribution points (`http:`/`https:` only, tried in order until one decides).
 * A CRL counts only when it names `issuer` and `issuer` signed it. An authentic CRL that lists the
 * certificate makes it `revoked` whatever its `thisUpdate`/`nextUpdate`: a stale CRL is no evidence of
 * being good, but it is evidence of revocation. One that does not list it must be current at `now`
 * (`thisUpdate` ≤ now ≤ `nextUpdate`) to make it `good`.
 *
 * Does NOT check: delta CRLs, indirect CRLs, OCSP, or the CRL's issuing distribution point scope.
 */
export async function checkRevocation(
  cert: X509Certificate,
  issuer: X509Certificate,
  ctx: RevocationContext,
): Promise<RevocationOutcome> {
  const base = { subject: cert.subject, serialNumber: cert.serialNumber };
  if (ctx.crls) return { ...base, ...(await fromGiven(cert, issuer, ctx.crls, ctx.now)) };
  const urls = crlUrls(cert);
  if (urls.length === 0) return { ...base, status: 'unavailable', reason: 'no_crl_url' };
  let last: { reason: string; url: string } = { reason: 'crl_unreachable', url: urls[0]! };
  for (const url of urls) {
    const crl = await download(url, ctx);
    const verdict = typeof crl === 'string' ? crl : await judge(cert, issuer, crl, ctx.now);
    if (verdict === 'good' || verdict === 'revoked') return { ...base, status: verdict, url };
    last = { reason: verdict, url };
  }
  return { ...base, status: 'unavailable', ...last };
}

/** The given CRLs of this issuer: any authentic one listing the certificate wins, else a current one. */
async function fromGiven(
  cert: X509Certificate,
  issuer: X509Certificate,
  crls: readonly X509Crl[],
  now: Date,
): Promise<{ status: RevocationStatus; reason?: string }> {
  const verdicts = await Promise.all(
    crls.filter((crl) => crl.issuer === issuer.subject).map((crl) => judge(cert, issuer, crl, now)),
  );
  if (verdicts.includes('revoked')) return { status: 'revoked' };
  if (verdicts.includes('good')) return { status: 'good' };
  return { status: 'unavailable', reason: verdicts.at(-1) ?? 'crl_not_provided' };
}

async function judge(
  cert: X509Certificate,
  issuer: X509Certificate,
  crl: X509Crl,
  now: Date,
): Promise<Verdict> {
  if (crl.issuer !== issuer.subject) return 'crl_issuer_mismatch';
  if (!(await crl.verify({ publicKey: issuer.publicKey }).catch(() => false))) return 'crl_signature';
  if (crl.findRevoked(cert)) return 'revoked';
  if (crl.thisUpdate.getTime() > now.getTime()) return 'crl_not_yet_valid';
  if (crl.nextUpdate && crl.nextUpdate.getTime() < now.getTime()) return 'crl_expired';
  return 'good';
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

async function download(url: string, ctx: RevocationContext): Promise<X509Crl | string> {
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
  return parseCrl(bytes) ?? 'crl_malformed';
}

/** Parses a CRL given as DER bytes, PEM (`-----BEGIN X509 CRL-----`) or base64 DER; `undefined` if it is not one. */
export function parseCrl(input: Uint8Array | string): X509Crl | undefined {
  try {
    const pem =
      typeof input !== 'string' && Buffer.from(input.subarray(0, 10)).toString('latin1').startsWith('-----');
    if (typeof input !== 'string' && !pem) return new X509Crl(Buffer.from(input));
    const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).trim();
    if (text.startsWith('-----BEGIN')) return new X509Crl(text);
    return new X509Crl(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
  } catch {
    return undefined;
  }
}
