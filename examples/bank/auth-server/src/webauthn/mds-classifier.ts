import {
  type ClassificationPolicy,
  classifyRegistration,
  type LocalStatementInput,
  type MetadataStore,
} from '@stepup/mds';
import type { Classifier } from './classifier.js';

/**
 * Classifies new credentials with `@stepup/mds` against the metadata store (FIDO MDS) and the local
 * statements (demo trust; a BLOB entry for the same model always wins). Without a store (or while it
 * has no data) and without a local statement for the model, every attestation counts as unverified:
 * user-verified credentials are `medium` (standard level), nothing is `high`.
 */
export function mdsClassifier(options: {
  store: MetadataStore | undefined;
  policy?: ClassificationPolicy | undefined;
  localStatements?: readonly LocalStatementInput[] | undefined;
  now: () => number;
}): Classifier {
  const { now, localStatements = [] } = options;
  return {
    classify: (registrationInfo) =>
      classifyRegistration(
        { registrationInfo },
        {
          ...(options.store ? { store: options.store } : {}),
          ...(options.policy ? { policy: options.policy } : {}),
          ...(localStatements.length > 0 ? { localStatements: [...localStatements] } : {}),
          now,
        },
      ),
  };
}
