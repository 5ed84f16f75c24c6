import type { Classifier } from './classifier.js';

/**
 * The classifier used when the server runs without FIDO metadata: no attestation can be verified,
 * so a user-verified credential is `medium` (standard level) and one without user verification is
 * `low` (refused). Nothing reaches `high`.
 */
export const noMetadataClassifier: Classifier = {
  async classify(info) {
    if (!info.userVerified)
      return {
        class: 'low',
        reasons: ['user not verified'],
        evidence: { fmt: info.fmt, aaguid: info.aaguid },
      };
    return {
      class: 'medium',
      reasons: ['no metadata: attestation not verified'],
      evidence: {
        fmt: info.fmt,
        aaguid: info.aaguid,
        backupEligible: info.credentialDeviceType === 'multiDevice',
      },
    };
  },
};
