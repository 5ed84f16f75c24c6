import {
  type ClassificationPolicy,
  type LocalStatementInput,
  type MetadataStore,
  type ReevaluationResult,
  reevaluate,
} from '@stepup/mds';
import type { Db } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import { credentialEvents } from './events.js';
import { accounts } from './store.js';

/** A credential whose class changed under the new metadata. */
export type ReclassifiedCredential = Extract<ReevaluationResult, { ok: true }>;

/** What a re-classification runs against: the metadata and policy in force now. */
export interface ReclassifyInput {
  db: Db;
  /** The FIDO metadata store; without one, only `localStatements` rate attestations. */
  store?: MetadataStore | undefined;
  policy?: ClassificationPolicy | undefined;
  /** Statements trusted beside the store's (demo trust). */
  localStatements?: readonly LocalStatementInput[] | undefined;
  now: () => number;
  logger: Logger;
}

/**
 * Runs the full classification again for every stored credential with the metadata in force now (the
 * store's current BLOB and the local statements: the attestation chains are verified again, so a key
 * registered before its model was listed is upgraded) and saves the result. A credential whose class
 * changed keeps its previous class and the time (shown to the customer), gets an audit-trail entry and a
 * `credential.reclassified` log line, upgrades as well as downgrades (a model since marked `REVOKED`
 * becomes `rejected` and can no longer sign in). The others get their evidence brought up to date.
 * Evidence that `@stepup/mds` does not recognise is skipped and logged, never guessed.
 *
 * An upgrade does not shorten a cooling-off period: a key added from a session below the high level
 * stays pending until its `activeAt`, whatever rates it.
 */
export async function reclassifyCredentials(input: ReclassifyInput): Promise<ReclassifiedCredential[]> {
  const stored = await accounts.allCredentials(input.db);
  const results = await reevaluate(
    stored.map((credential) => ({ id: credential.id, evidence: credential.evidence })),
    {
      now: input.now,
      ...(input.store === undefined ? {} : { store: input.store }),
      ...(input.policy === undefined ? {} : { policy: input.policy }),
      ...(input.localStatements === undefined ? {} : { localStatements: [...input.localStatements] }),
    },
  );
  const changes: ReclassifiedCredential[] = [];
  const at = input.now();
  for (const [index, result] of results.entries()) {
    const credential = stored[index];
    if (!result.ok || credential === undefined) {
      input.logger.warn('credential.reclassify_skipped', {
        credential: result.id,
        code: result.ok ? 'ERR_INTERNAL' : result.error.code,
      });
      continue;
    }
    const update = { class: result.after, reasons: result.reasons, evidence: result.evidence };
    if (!result.changed) {
      await accounts.reclassify(input.db, result.id, update);
      continue;
    }
    changes.push(result);
    await input.db.transaction(async (tx) => {
      await accounts.reclassify(tx, result.id, { ...update, at });
      await credentialEvents.record(tx, {
        accountId: credential.accountId,
        credentialId: credential.id,
        kind: 'reclassified',
        label: credential.label,
        detail: { before: result.before, after: result.after },
        at,
      });
    });
    input.logger.warn('credential.reclassified', {
      credential: result.id,
      account: credential.accountId,
      before: result.before,
      after: result.after,
      reasons: result.reasons,
    });
  }
  return changes;
}

/**
 * {@link reclassifyCredentials} one run at a time: a call made while a run is under way starts another
 * run after it (the metadata may have changed in between), so two runs never decide on the same
 * "before" and each change is logged once.
 */
export function reclassifier(input: ReclassifyInput): () => Promise<ReclassifiedCredential[]> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const run = last.then(() => reclassifyCredentials(input));
    last = run.catch(() => undefined);
    return run;
  };
}
