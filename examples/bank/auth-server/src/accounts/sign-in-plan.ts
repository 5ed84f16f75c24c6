import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD, acrSatisfies, type BankAcr } from '../assurance.js';
import type { StoredOtp } from '../otp/store.js';
import { combinedAcr, credentialAcr, otpActive } from './credential-level.js';
import { type HighLevelStatus, highLevelStatus } from './high-level-status.js';
import type { StoredCredential } from './store.js';

/** A passkey sign-in of this interaction, or of the session it starts from. */
export interface PasskeyFactor {
  readonly acr: BankAcr;
  readonly amr: readonly string[];
}

/** What the next step of a sign-in is decided from. */
export interface SignInFacts {
  /** The level the request needs (`undefined`: it asked only for levels the bank does not offer). */
  readonly required: BankAcr | undefined;
  /** The request carries authorization details to approve: only factors of this interaction count. */
  readonly bound: boolean;
  readonly now: number;
  /** The customer, once known (signed in on this browser, or by a passkey in this interaction). */
  readonly account?: {
    readonly credentials: readonly StoredCredential[];
    readonly otp: StoredOtp | undefined;
  };
  /** The provider session of the same customer: its level counts unless `bound`. */
  readonly session?: PasskeyFactor;
  /** What this interaction has proven: a passkey sign-in, a one-time code. */
  readonly proven: { readonly passkey?: PasskeyFactor; readonly code: boolean };
}

/** Why a sign-in cannot reach the level with what the customer has. */
export type Blocked =
  | { readonly reason: 'unknown-level' }
  /** No credential reaches the level now; for the high level, `high` says what stands in the way. */
  | { readonly reason: 'no-credential'; readonly high: HighLevelStatus | undefined }
  /** The elevated level needs a code, and the customer has no active authenticator app (nor a security key). */
  | { readonly reason: 'no-code'; readonly otp: StoredOtp | undefined };

/**
 * The next step of a sign-in:
 * - `done`: the level is reached, with `acr` and `amr` (RFC 8176: the passkey's, plus `otp` for a code);
 * - `passkey`: a passkey sign-in with one of `allow` (`undefined`: any discoverable passkey), which
 *   must reach `reaches` (on its own, or with a code still to come);
 * - `code`: a one-time code from the customer's authenticator app;
 * - `blocked`: the customer cannot reach the level (the page offers the way back to the app).
 */
export type SignInStep =
  | { readonly kind: 'done'; readonly acr: BankAcr; readonly amr: readonly string[] }
  | {
      readonly kind: 'passkey';
      readonly allow: readonly StoredCredential[] | undefined;
      readonly reaches: BankAcr;
    }
  | { readonly kind: 'code' }
  | ({ readonly kind: 'blocked' } & Blocked);

const reaching = (credentials: readonly StoredCredential[], acr: BankAcr, now: number) =>
  credentials.filter((c) => acrSatisfies(credentialAcr(c, now), acr));

function union(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

// The elevated level, not reached yet: a passkey and a code, or a security key alone.
function elevatedStep(facts: SignInFacts, passkey: PasskeyFactor | undefined): SignInStep {
  const { account, now } = facts;
  if (account === undefined) return { kind: 'passkey', allow: undefined, reaches: ACR_ELEVATED };
  const codeReady = otpActive(account.otp, now);
  const keys = reaching(account.credentials, ACR_HIGH, now);
  if (passkey !== undefined && codeReady) return { kind: 'code' };
  if (passkey === undefined && codeReady) {
    const allow = reaching(account.credentials, ACR_STANDARD, now);
    if (allow.length === 0) return { kind: 'blocked', reason: 'no-credential', high: undefined };
    return { kind: 'passkey', allow, reaches: ACR_ELEVATED };
  }
  if (keys.length > 0) return { kind: 'passkey', allow: keys, reaches: ACR_HIGH };
  return { kind: 'blocked', reason: 'no-code', otp: account.otp };
}

/**
 * Picks the next factor from what the customer has proven: in this interaction, and (unless the
 * request asks to approve a transaction) in the session it starts from. Pure.
 *
 * - standard: a passkey; high: a security key reaching the high level now;
 * - elevated: the code on top of a passkey — the session's standard sign-in, or one made here — or a
 *   security key alone; nothing more than one fresh factor when the session already holds the rest.
 *   No authenticator app and no security key: blocked, with the way out.
 *
 * Something must be proven in this interaction before it is `done` (the provider asked for a sign-in:
 * a stale session, `prompt=login`, a higher level, an approval). The level `done` gives is what the
 * fresh factors reach: a code on top of the session's sign-in is the elevated level, whatever the
 * session held (one `auth_time` cannot say that a security key was used long ago). A transaction approval (`bound`) takes
 * only factors of this interaction, and always a passkey sign-in: its challenge is what binds it.
 */
export function nextSignInStep(facts: SignInFacts): SignInStep {
  const { required, account, now, proven } = facts;
  if (required === undefined) return { kind: 'blocked', reason: 'unknown-level' };
  const passkey = proven.passkey ?? (facts.bound ? undefined : facts.session);
  // A code made now renews only what a code can: on top of the session's sign-in it gives the
  // elevated level, never a fresh high one (that takes the security key again).
  const base = proven.passkey === undefined && passkey ? ACR_STANDARD : passkey?.acr;
  const reached = combinedAcr(base, proven.code);
  const fresh = proven.passkey !== undefined || proven.code;
  if (fresh && passkey && reached && acrSatisfies(reached, required) && (!facts.bound || proven.passkey)) {
    return { kind: 'done', acr: reached, amr: union(passkey.amr, proven.code ? ['otp'] : []) };
  }
  if (required === ACR_ELEVATED) return elevatedStep(facts, passkey);
  if (account === undefined) return { kind: 'passkey', allow: undefined, reaches: required };
  const eligible = reaching(account.credentials, required, now);
  if (eligible.length === 0) {
    const high = required === ACR_HIGH ? highLevelStatus(account.credentials, now) : undefined;
    return { kind: 'blocked', reason: 'no-credential', high };
  }
  return { kind: 'passkey', allow: eligible, reaches: required };
}
