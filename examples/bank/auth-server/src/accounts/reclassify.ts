import {
  type ClassificationPolicy,
  type MetadataStore,
  type ReevaluationResult,
  reevaluate,
} from '@stepup/mds';
import type { Db } from '@stepup-example/db';
import type { Logger } from '../logger.js';
import { accounts } from './store.js';

/** A credential whose class changed under the new metadata. */
export type ReclassifiedCredential = Extract<ReevaluationResult, { ok: true }>;

/**
 * Runs the full classification again for every stored credential with the store's current BLOB (the
 * attestation chains are verified again, so a key registered before its model was listed is upgraded)
 * and saves the credentials whose class changed (for example a model since marked `REVOKED` becomes
 * `rejected` and can no longer sign in). Call it when the store adopts a newer BLOB. Evidence that
 * `@stepup/mds` does not recognise is skipped and logged, never guessed.
 */
export async function reclassifyCredentials(input: {
  db: Db;
  store: MetadataStore;
  policy?: ClassificationPolicy | undefined;
  now: () => number;
  logger: Logger;
}): Promise<ReclassifiedCredential[]> {
  const stored = await accounts.allCredentials(input.db);
  const results = await reevaluate(
    stored.map((credential) => ({ id: credential.id, evidence: credential.evidence })),
    { store: input.store, now: input.now, ...(input.policy === undefined ? {} : { policy: input.policy }) },
  );
  const changes: ReclassifiedCredential[] = [];
  for (const result of results) {
    if (!result.ok) {
      input.logger.warn('credential.reclassify_skipped', { credential: result.id, code: result.error.code });
      continue;
    }
    if (!result.changed) continue;
    changes.push(result);
    await accounts.reclassify(input.db, result.id, result.after, result.reasons, result.evidence);
    input.logger.warn('credential.reclassified', {
      credential: result.id,
      before: result.before,
      after: result.after,
      reasons: result.reasons,
    });
  }
  return changes;
}
