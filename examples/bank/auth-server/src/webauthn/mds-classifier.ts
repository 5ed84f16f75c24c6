import { type ClassificationPolicy, classifyRegistration, type MetadataStore } from '@stepup/mds';
import type { Classifier } from './classifier.js';

/**
 * Classifies new credentials with `@stepup/mds` against the metadata store (FIDO MDS). Without a
 * store (or while it has no data) every attestation counts as unverified: user-verified credentials
 * are `medium` (standard level), nothing is `high`.
 */
export function mdsClassifier(options: {
  store: MetadataStore | undefined;
  policy?: ClassificationPolicy | undefined;
  now: () => number;
}): Classifier {
  const { now } = options;
  return {
    classify: (registrationInfo) =>
      classifyRegistration(
        { registrationInfo },
        {
          ...(options.store ? { store: options.store } : {}),
          ...(options.policy ? { policy: options.policy } : {}),
          now,
        },
      ),
  };
}
