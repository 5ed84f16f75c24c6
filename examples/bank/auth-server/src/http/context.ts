import type { Db } from '@stepup-example/db';
import type { Logger } from '@stepup-example/observability';
import type Provider from 'oidc-provider';
import type { CodeAttempts } from '../otp/attempts.js';
import type { SecretBox } from '../otp/secret-box.js';
import type { Classifier } from '../webauthn/classifier.js';
import type { DemoTrust } from '../webauthn/demo-trust.js';
import type { RelyingParty } from '../webauthn/rp.js';

/** Everything the bank's own routes need, injected once. */
export interface AppContext {
  provider: Provider;
  db: Db;
  rp: RelyingParty;
  now: () => number;
  logger: Logger;
  classifier: Classifier;
  /** How long a WebAuthn challenge may be answered. */
  challengeTtlMs: number;
  /** How recent a sign-in the security settings need. */
  recentSignInMs: number;
  /** How long a key added from a session below the high level waits before it can be used at high. */
  keyCoolingOffMs: number;
  /** The demo trust mode in force, shown on every page; `undefined` outside demo mode. */
  demoTrust: DemoTrust | undefined;
  /** Origin of the bank web app (the settings' way back). */
  webOrigin: string;
  /** Seals the customers' TOTP seeds at rest (AES-256-GCM under the server's `otp` secret). */
  secretBox: SecretBox;
  /** Wrong one-time codes per account. */
  codeAttempts: CodeAttempts;
}
