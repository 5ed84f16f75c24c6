import { z } from 'zod';
import {
  aaguidSchema,
  type MetadataEntry,
  metadataStatementSchema,
  statusReportSchema,
} from '../blob/schema.js';
import { parseCertificate } from '../pki/certificates.js';
import { AUTHENTICATOR_STATUSES } from '../status/statuses.js';

const certificate = z
  .string()
  .refine((value) => parseCertificate(value) !== undefined, 'not a certificate (PEM or base64 DER)');

/**
 * A metadata statement the operator trusts for an authenticator the BLOB does not list (an
 * enterprise-issued key, a test authenticator), as Yubico's java-webauthn-server and SimpleWebAuthn
 * allow. Validated with the BLOB entry schema, and stricter where it matters: no unknown top-level keys,
 * at least one parsable `attestationRootCertificates`, `keyProtection` given, a statement `aaguid` (if
 * any) equal to the entry's, only known status values. Unknown fields inside `metadataStatement` are kept.
 */
export const localStatementSchema = z
  .strictObject({
    aaguid: aaguidSchema.transform((value) => value.toLowerCase()),
    metadataStatement: metadataStatementSchema.extend({
      attestationRootCertificates: z.array(certificate).min(1),
      keyProtection: z.array(z.string()).min(1),
    }),
    /** Certification and status, as FIDO would report them. Default: none (so never `high` under a policy
     * that requires a certification level). */
    statusReports: z.array(statusReportSchema.extend({ status: z.enum(AUTHENTICATOR_STATUSES) })).default([]),
  })
  .superRefine((value, ctx) => {
    const own = value.metadataStatement.aaguid;
    if (own !== undefined && own.toLowerCase() !== value.aaguid) {
      ctx.addIssue({ code: 'custom', path: ['metadataStatement', 'aaguid'], message: 'differs from aaguid' });
    }
  });

/** A list of local statements: one per AAGUID. */
export const localStatementsSchema = z.array(localStatementSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((statement, i) => {
    if (seen.has(statement.aaguid))
      ctx.addIssue({ code: 'custom', path: [i, 'aaguid'], message: 'duplicate AAGUID' });
    seen.add(statement.aaguid);
  });
});

/** A local metadata statement as given (see `localStatementSchema`). */
export type LocalStatementInput = z.input<typeof localStatementSchema>;

/** A validated local statement (AAGUID in canonical lower case, `statusReports` defaulted). */
export type LocalStatement = z.output<typeof localStatementSchema>;

/** Local statements by AAGUID, as metadata entries. */
export type LocalIndex = ReadonlyMap<string, MetadataEntry>;

/** Indexes validated statements; a later list may not repeat an AAGUID of an earlier one. */
export function indexLocal(...lists: ReadonlyArray<readonly LocalStatement[]>): {
  index: LocalIndex;
  duplicates: string[];
} {
  const index = new Map<string, MetadataEntry>();
  const duplicates: string[] = [];
  for (const list of lists) {
    for (const s of list) {
      if (index.has(s.aaguid)) duplicates.push(s.aaguid);
      index.set(s.aaguid, {
        aaguid: s.aaguid,
        metadataStatement: s.metadataStatement,
        statusReports: s.statusReports,
      });
    }
  }
  return { index, duplicates };
}
