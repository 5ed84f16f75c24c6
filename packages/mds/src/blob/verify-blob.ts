import { z } from 'zod';
import { fn, parseOptions, parseRoots, revocationSchema, systemClock } from '../options.js';
import type { VerifiedBlob } from './verified-blob.js';
import { DEFAULT_MAX_BLOB_BYTES, verifyBlobWith } from './verify-core.js';

/** Options of {@link verifyBlob}. */
export interface VerifyBlobOptions {
  /** Trust anchors (PEM or base64 DER). Default: the bundled FIDO production root (GlobalSign Root CA R3). */
  roots?: string[];
  /** The clock. Default: system time. */
  now?: () => Date;
  /** Used to download CRLs. Default: global `fetch`. */
  fetch?: typeof fetch;
  /** What an unobtainable CRL means. Default `fail-closed` (the BLOB is refused). A revoked
   * certificate is refused under both policies. */
  revocation?: 'fail-closed' | 'fail-open';
  /** The BLOB `no` must be greater than this (the last accepted one). */
  minNo?: number;
  /** Size bound in bytes. Default 64 MiB. */
  maxBytes?: number;
}

const schema = z.object({
  roots: z.array(z.string()).min(1).optional(),
  now: fn<() => Date>().optional(),
  fetch: fn<typeof fetch>().optional(),
  revocation: revocationSchema.optional(),
  minNo: z.number().int().nonnegative().optional(),
  maxBytes: z.number().int().positive().optional(),
});

/**
 * Verifies one FIDO MDS3 BLOB (FIDO Metadata Service §3.2) and indexes it:
 * the `x5c` chain must reach a pinned root with every certificate valid now, the JWS signature
 * must verify with the leaf key (RS/PS/ES 256–512 only), the payload must be JSON with
 * `legalHeader`, `no`, `nextUpdate` and well-formed `entries` (unknown fields and status values
 * are kept), `no` must exceed `minNo`, and every chain certificate must pass its CRLs
 * (`revocation` decides what an unobtainable CRL means).
 *
 * Does NOT check: whether `nextUpdate` has passed (a store decides what stale means), `x5u`/`jku`
 * (never fetched), OCSP. Pure apart from CRL downloads through `fetch`.
 *
 * @throws MdsError with a stable `code` (`ERR_BLOB_*`, `ERR_REVOCATION_UNAVAILABLE`, `ERR_CONFIG_INVALID`).
 * @example
 * ```ts
 * const blob = await verifyBlob(await (await fetch('https://mds3.fidoalliance.org/')).text());
 * blob.lookupAaguid('ee882879-721c-4913-9775-3dfcce97072a');
 * ```
 */
export async function verifyBlob(
  blob: string | Uint8Array,
  options: VerifyBlobOptions = {},
): Promise<VerifiedBlob> {
  const opts = parseOptions(schema, options, 'verifyBlob');
  return verifyBlobWith(blob, {
    anchors: parseRoots(opts.roots),
    now: (opts.now ?? systemClock)(),
    fetch: opts.fetch ?? globalThis.fetch,
    revocation: opts.revocation ?? 'fail-closed',
    minNo: opts.minNo,
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BLOB_BYTES,
  });
}
