import type { X509Crl } from '@peculiar/x509';
import { MdsError } from '../errors.js';
import type { X509Certificate } from '../pki/certificates.js';
import { validateChain } from '../pki/chain.js';
import { CRL_DEFAULTS, checkRevocation, type RevocationOutcome } from '../pki/revocation.js';
import { decodeBlobHeader, verifyBlobSignature } from './jws.js';
import { parseBlobPayload } from './payload.js';
import { type BlobTrust, signerMatches } from './trust.js';
import { type BlobCertificate, createVerifiedBlob, type VerifiedBlob } from './verified-blob.js';

/** What to do when a CRL cannot be obtained or used. `skip` is internal: a persisted BLOB that was
 * revocation-checked when adopted is re-read offline at start. */
export type RevocationPolicy = 'fail-closed' | 'fail-open' | 'skip';

/** Everything `verifyBlobWith` needs, already validated. */
export interface BlobVerifyContext {
  readonly trust: BlobTrust;
  readonly now: Date;
  readonly fetch: typeof fetch;
  readonly revocation: RevocationPolicy;
  readonly minNo: number | undefined;
  readonly maxBytes: number;
  /** CRLs to use instead of downloading, when given. */
  readonly crls: readonly X509Crl[] | undefined;
}

/** Default size bound: production BLOBs are about 10 MB (2026). */
export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;

/**
 * FIDO MDS3 §3.2 processing, cheapest checks first so garbage never causes network traffic:
 * size, JWS structure and algorithm, `x5c` chain to a pinned root (validity at `now`), the signer's
 * name when pinned, signature, payload schema, `no` > `minNo`, then CRLs for every chain certificate.
 */
export async function verifyBlobWith(
  blob: string | Uint8Array,
  ctx: BlobVerifyContext,
): Promise<VerifiedBlob> {
  const token = toToken(blob, ctx.maxBytes);
  const header = decodeBlobHeader(token);
  const chain = await validateChain(header.x5c, ctx.trust.anchors, ctx.now);
  if (!chain.ok) {
    throw new MdsError('ERR_BLOB_CHAIN_UNTRUSTED', `BLOB certificate chain rejected: ${chain.reason}`, {
      details: { reason: chain.reason, ...(chain.subject === undefined ? {} : { subject: chain.subject }) },
    });
  }
  const signer = header.x5c[0]!;
  const pinned = ctx.trust.signerCommonNames;
  if (pinned && !signerMatches(signer, pinned)) {
    throw new MdsError('ERR_BLOB_CHAIN_UNTRUSTED', `BLOB signer ${signer.subject} is not the pinned signer`, {
      details: { reason: 'signer_not_pinned', subject: signer.subject },
    });
  }
  const payload = parseBlobPayload(await verifyBlobSignature(token, header));
  if (ctx.minNo !== undefined && payload.no <= ctx.minNo) {
    throw new MdsError('ERR_BLOB_ROLLBACK', `BLOB no ${payload.no} is not greater than ${ctx.minNo}`, {
      details: { no: payload.no, minNo: ctx.minNo },
    });
  }
  const outcomes = await revocationOf(chain.path, chain.issuers, ctx);
  return createVerifiedBlob(payload, describeChain(chain.path, chain.anchor, outcomes));
}

function toToken(blob: string | Uint8Array, maxBytes: number): string {
  const size = typeof blob === 'string' ? blob.length : blob.byteLength;
  if (size > maxBytes) {
    throw new MdsError('ERR_BLOB_TOO_LARGE', `BLOB of ${size} bytes exceeds ${maxBytes}`, {
      details: { maxBytes },
    });
  }
  if (typeof blob === 'string') return blob.trim();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(blob).trim();
  } catch (cause) {
    throw new MdsError('ERR_BLOB_MALFORMED', 'BLOB is not UTF-8 text', {
      details: { reason: 'not_text' },
      cause,
    });
  }
}

async function revocationOf(
  path: readonly X509Certificate[],
  issuers: readonly (X509Certificate | undefined)[],
  ctx: BlobVerifyContext,
): Promise<RevocationOutcome[]> {
  const revCtx = { fetch: ctx.fetch, now: ctx.now, crls: ctx.crls, ...CRL_DEFAULTS };
  const outcomes = await Promise.all(
    path.map((cert, i): Promise<RevocationOutcome> | RevocationOutcome => {
      const issuer = issuers[i];
      if (ctx.revocation === 'skip' || !issuer) {
        return { subject: cert.subject, serialNumber: cert.serialNumber, status: 'not_checked' };
      }
      return checkRevocation(cert, issuer, revCtx);
    }),
  );
  for (const outcome of outcomes) {
    if (outcome.status === 'revoked') {
      throw new MdsError('ERR_BLOB_CERT_REVOKED', `BLOB chain certificate is revoked: ${outcome.subject}`, {
        details: { subject: outcome.subject, reason: 'revoked' },
      });
    }
    if (outcome.status === 'unavailable' && ctx.revocation === 'fail-closed') {
      throw new MdsError(
        'ERR_REVOCATION_UNAVAILABLE',
        `no usable CRL for ${outcome.subject} (${outcome.reason ?? 'unknown'})`,
        {
          details: {
            subject: outcome.subject,
            ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
          },
        },
      );
    }
  }
  return outcomes;
}

function describeChain(
  path: readonly X509Certificate[],
  anchor: X509Certificate,
  outcomes: readonly RevocationOutcome[],
): BlobCertificate[] {
  const described = path.map((cert, i) => describe(cert, outcomes[i]?.status ?? 'not_checked'));
  const last = path[path.length - 1];
  if (last && Buffer.from(last.rawData).equals(Buffer.from(anchor.rawData))) return described;
  return [...described, describe(anchor, 'not_checked')];
}

function describe(cert: X509Certificate, revocation: BlobCertificate['revocation']): BlobCertificate {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notAfter: cert.notAfter.toISOString(),
    revocation,
  };
}
