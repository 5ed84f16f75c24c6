import { z } from 'zod';
import {
  clockSchema,
  configError,
  dateOf,
  fn,
  parseOptions,
  revocationSchema,
  systemClock,
} from '../options.js';
import { parseCrl } from '../pki/revocation.js';
import { resolveTrust } from './trust.js';
import type { VerifiedBlob } from './verified-blob.js';
import { DEFAULT_MAX_BLOB_BYTES, verifyBlobWith } from './verify-core.js';

/** Options shared by `verifyBlob` and `createMetadataStore`: trust, clock and limits. */
export const blobTrustOptions = {
  /** Trust anchors (PEM or base64 DER). Default: the bundled FIDO production root (GlobalSign Root CA R3). */
  roots: z.array(z.string()).min(1).optional(),
  /** Common names (CN) the BLOB signer (the `x5c` leaf) must carry, any case. Default: `mds.fidoalliance.org`
   * whenever the bundled production root is trusted; no pin with other roots. */
  signerCommonNames: z.array(z.string().min(1)).min(1).optional(),
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. */
  now: clockSchema.optional(),
  /** What an unobtainable CRL means. Default `fail-closed` (the BLOB is refused). A certificate listed by
   * an authentic CRL of its issuer is refused under both policies. */
  revocation: revocationSchema.optional(),
  /** Size bound in bytes. Default 64 MiB. */
  maxBytes: z.number().int().positive().optional(),
};

const verifyBlobSchema = z.strictObject({
  ...blobTrustOptions,
  /** Used to download CRLs. Default: global `fetch`. */
  fetch: fn<typeof fetch>().optional(),
  /** CRLs (DER bytes, PEM or base64 DER) to use instead of downloading: when given, nothing is fetched and a
   * chain certificate whose issuer has none of them is `unavailable` (`crl_not_provided`). */
  crls: z
    .array(
      z.union([
        z.string(),
        z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes or a string'),
      ]),
    )
    .optional(),
  /** The BLOB `no` must be greater than this (the last accepted one). */
  minNo: z.number().int().nonnegative().optional(),
});

/** Options of {@link verifyBlob}. */
export type VerifyBlobOptions = z.input<typeof verifyBlobSchema>;

/**
 * Verifies one FIDO MDS3 BLOB (FIDO Metadata Service §3.2) and indexes it:
 * the `x5c` chain must reach a pinned root with every certificate valid now, the signer must carry a
 * pinned common name (by default with the production root), the JWS signature must verify with the leaf
 * key (RS/PS/ES 256–512 only), the payload must be JSON with `legalHeader`, `no`, `nextUpdate` and an
 * `entries` array (a malformed entry is skipped and listed in `skippedEntries`; unknown fields and status
 * values are kept), `no` must exceed `minNo`, and every chain certificate must pass its CRLs
 * (`revocation` decides what an unobtainable CRL means; a listed certificate is always refused).
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
  const opts = parseOptions(verifyBlobSchema, options, 'verifyBlob');
  return verifyBlobWith(blob, {
    trust: resolveTrust(opts.roots, opts.signerCommonNames),
    now: dateOf(opts.now ?? systemClock),
    fetch: opts.fetch ?? globalThis.fetch,
    revocation: opts.revocation ?? 'fail-closed',
    minNo: opts.minNo,
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BLOB_BYTES,
    crls: opts.crls && parseCrls(opts.crls),
  });
}

function parseCrls(inputs: readonly (string | Uint8Array)[]) {
  const crls = inputs.map((input) => parseCrl(input));
  const issues = crls.flatMap((crl, i) => (crl ? [] : [{ path: `crls.${i}`, message: 'not a CRL' }]));
  if (issues.length > 0) throw configError('verifyBlob', issues);
  return crls.filter((crl) => crl !== undefined);
}
