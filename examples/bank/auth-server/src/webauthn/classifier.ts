import type { VerifiedRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticatorClass } from '../assurance.js';

/** What `verifyRegistrationResponse()` of `@simplewebauthn/server` found. */
export type RegistrationInfo = NonNullable<VerifiedRegistrationResponse['registrationInfo']>;

/** The class of a registration and why, with the evidence to store next to the credential. */
export interface Classification {
  class: AuthenticatorClass;
  reasons: string[];
  evidence: unknown;
}

/**
 * Decides the assurance class of a new credential. The server uses `@stepup/mds`
 * ({@link mdsClassifier}); tests may pass their own.
 */
export interface Classifier {
  classify(registrationInfo: RegistrationInfo): Promise<Classification>;
}
