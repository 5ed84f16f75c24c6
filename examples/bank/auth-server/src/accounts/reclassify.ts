import {
  type ClassificationPolicy,
  type MetadataStore,
  type ReevaluationChange,
  reevaluate,
} from '@stepup/mds';
import type { Db } from '@stepup-example/db';
import type { Logger } from '../logger.js';
import { accounts } from './store.js';

/**
 * Re-applies the classification rules to every stored credential with the store's current BLOB and
 * saves the credentials whose class changed (for example a model since marked `REVOKED` becomes
 * `rejected` and can no longer sign in). Call it when the store adopts a newer BLOB. Evidence that
 * `@stepup/mds` does not recognise is skipped and logged, never guessed.
 */
export async function reclassifyCredentials(input: {
  db: Db;
  store: MetadataStore;
  policy?: ClassificationPolicy | undefined;
  now: () => number;
  logger: Logger;
}): Promise<ReevaluationChange[]> {
  const stored = await accounts.allCredentials(input.db);
  const changes: ReevaluationChange[] = [];
  for (const credential of stored) {
    try {
      changes.push(
        ...reevaluate([{ id: credential.id, evidence: credential.evidence }], input.store, input.policy, {
          now: () => new Date(input.now()),
        }),
      );
    } catch (error) {
      input.logger.warn('credential.reclassify_skipped', { credential: credential.id, error: String(error) });
    }
  }
  for (const change of changes) {
    await accounts.reclassify(input.db, change.id, change.after, change.reasons, change.evidence);
    input.logger.warn('credential.reclassified', {
      credential: change.id,
      before: change.before,
      after: change.after,
      reasons: change.reasons,
    });
  }
  return changes;
}
