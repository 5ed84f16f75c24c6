import { z } from 'zod';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { clockSchema, configError, dateOf, parseOptions, systemClock } from '../options.js';
import type { MetadataStore } from '../store/types.js';
import type { MetadataSources } from './find-entry.js';
import { indexLocal, localStatementsSchema } from './local-statements.js';
import { policySchema, type ResolvedPolicy, resolvePolicy } from './policy.js';

/** The options of `classifyRegistration` and `reevaluate`. */
export const classifyOptionsSchema = z.strictObject({
  /** Metadata to classify against: a store (its current BLOB and its local statements) or a verified
   * BLOB. Absent, or a store without data: only local statements can rate an attestation. */
  store: z
    .custom<MetadataStore | VerifiedBlob>(
      (v) => typeof v === 'object' && v !== null && ('current' in v || 'lookupAaguid' in v),
      { message: 'expected a metadata store or a verified BLOB' },
    )
    .optional(),
  policy: policySchema.optional(),
  /** Metadata statements you trust for authenticators the BLOB does not list (see the README). */
  localStatements: localStatementsSchema.optional(),
  /** The clock (certificate validity, status effective dates), in milliseconds. Default: `Date.now`. */
  now: clockSchema.optional(),
});

/** Options of `classifyRegistration` and `reevaluate`. */
export type ClassifyOptions = z.input<typeof classifyOptionsSchema>;

/** Validated options: the metadata in force now, the policy with defaults, the time. */
export interface ResolvedClassifyOptions {
  readonly sources: MetadataSources;
  readonly policy: ResolvedPolicy;
  readonly now: Date;
}

/**
 * Validates the options (throws `ERR_CONFIG_INVALID` naming every problem) and takes the metadata in
 * force now: the store's current BLOB, its local statements and the given ones (an AAGUID given twice
 * is refused).
 */
export function resolveClassifyOptions(
  options: ClassifyOptions | undefined,
  what: string,
): ResolvedClassifyOptions {
  const o = parseOptions(classifyOptionsSchema, options, what);
  const store = o.store;
  const fromStore = store && 'current' in store ? store.localStatements() : [];
  const { index, duplicates } = indexLocal(fromStore, o.localStatements ?? []);
  if (duplicates.length > 0) {
    throw configError(
      what,
      duplicates.map((aaguid) => ({
        path: 'localStatements',
        message: `${aaguid} is also a local statement of the store`,
      })),
    );
  }
  return {
    sources: { blob: store && 'current' in store ? store.current() : store, local: index },
    policy: resolvePolicy(o.policy),
    now: dateOf(o.now ?? systemClock),
  };
}
