import type { LocalStatementInput } from '@stepup/mds';
import { AuthServerError } from '../errors.js';
import { DEMO_TRUST_MODES, type DemoTrust, demoTrustStatements } from '../webauthn/demo-trust.js';

/** Default cooling-off period of a key added from a session below the high level: 24 hours. */
export const DEFAULT_KEY_COOLING_OFF_SECONDS = 24 * 3600;

/** The credential options of `startAuthServer`, checked. */
export interface CredentialSettings {
  /** How long a key added from a session below the high level waits before it can be used at high. */
  keyCoolingOffMs: number;
  demoTrust: DemoTrust | undefined;
  /** The local metadata statements of the demo trust mode (none without one). */
  localStatements: LocalStatementInput[];
}

/**
 * Checks `keyCoolingOffSeconds` (a positive number of seconds; 0 would switch the control off, so it
 * is refused) and `demoTrust` (one of {@link DEMO_TRUST_MODES}), naming the field that is wrong.
 * @throws AuthServerError `ERR_CONFIG`.
 */
export function credentialSettings(options: {
  keyCoolingOffSeconds?: number | undefined;
  demoTrust?: string | undefined;
}): CredentialSettings {
  const seconds = options.keyCoolingOffSeconds ?? DEFAULT_KEY_COOLING_OFF_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new AuthServerError('ERR_CONFIG', 'keyCoolingOffSeconds must be a positive number of seconds');
  }
  const mode = options.demoTrust;
  if (mode !== undefined && !isDemoTrust(mode)) {
    throw new AuthServerError('ERR_CONFIG', `demoTrust must be one of: ${DEMO_TRUST_MODES.join(', ')}`);
  }
  return { keyCoolingOffMs: seconds * 1000, demoTrust: mode, localStatements: demoTrustStatements(mode) };
}

function isDemoTrust(value: string): value is DemoTrust {
  return (DEMO_TRUST_MODES as readonly string[]).includes(value);
}
