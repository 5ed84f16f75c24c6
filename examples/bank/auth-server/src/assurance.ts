/**
 * The bank's two authentication levels, in one place. The bank API imports the same constants from
 * `@stepup-example/auth-server`, so the authorization server and the resource server cannot drift.
 *
 * | acr | what reaches it |
 * |---|---|
 * | {@link ACR_STANDARD} | any passkey with user verification (UV): synced passkeys (BE=1) included, and device-bound ones whose attestation could not be verified |
 * | {@link ACR_HIGH} | a device-bound (BE=0), user-verified security key whose attestation chains to the FIDO MDS metadata of a certified model with hardware key protection |
 *
 * The levels are ordered: `high` satisfies a request for `standard` (an application choice on top of
 * RFC 9470's set semantics, where `acr_values` lists values any one of which is acceptable).
 * Authenticators without user verification (`low`) and those whose model is revoked or compromised
 * (`rejected`) cannot register at all.
 *
 * @see NIST SP 800-63B-4 (syncable authenticators reach AAL2, not AAL3); RFC 9470 §4.
 */
export const ACR_STANDARD = 'urn:stepup:bank:acr:standard';
/** The high level: a device-bound, attested, certified security key. See {@link ACR_STANDARD}. */
export const ACR_HIGH = 'urn:stepup:bank:acr:high';

/** One of the bank's two acr values. */
export type BankAcr = typeof ACR_STANDARD | typeof ACR_HIGH;

/** The acr values in ascending order of assurance. */
export const BANK_ACR_VALUES: readonly BankAcr[] = [ACR_STANDARD, ACR_HIGH];

/** The class `@stepup/mds` gives a registration. */
export type AuthenticatorClass = 'rejected' | 'low' | 'medium' | 'high';

const RANK: Record<BankAcr, number> = { [ACR_STANDARD]: 1, [ACR_HIGH]: 2 };

/** True when `value` is one of the bank's acr values. */
export function isBankAcr(value: unknown): value is BankAcr {
  return value === ACR_STANDARD || value === ACR_HIGH;
}

/**
 * The acr a credential of this class reaches, or `undefined` when the class may not be used at all
 * (`low`: no user verification; `rejected`: refused by policy or by the metadata status).
 */
export function acrForClass(cls: AuthenticatorClass): BankAcr | undefined {
  if (cls === 'high') return ACR_HIGH;
  if (cls === 'medium') return ACR_STANDARD;
  return undefined;
}

/** True when an authentication at level `achieved` satisfies the level `required`. */
export function acrSatisfies(achieved: string | undefined, required: BankAcr): boolean {
  return isBankAcr(achieved) && RANK[achieved] >= RANK[required];
}

/**
 * The level an authorization request asks for, from its space-separated `acr_values`.
 *
 * Any one of the listed values is acceptable (RFC 9470), so the lowest known level among them is
 * what must be reached. Unknown values are ignored; a request listing only unknown values cannot be
 * met (`unmet: true`). No `acr_values` at all means the standard level.
 */
export function requiredAcr(acrValues: string | undefined): { acr: BankAcr; unmet: false } | { unmet: true } {
  if (acrValues === undefined || acrValues.trim() === '') return { acr: ACR_STANDARD, unmet: false };
  const known = acrValues.split(' ').filter(isBankAcr);
  if (known.length === 0) return { unmet: true };
  const lowest = known.reduce((a, b) => (RANK[a] <= RANK[b] ? a : b));
  return { acr: lowest, unmet: false };
}

/** Words for a customer, per level. */
export const LEVEL_WORDS: Record<BankAcr, { name: string; description: string }> = {
  [ACR_STANDARD]: {
    name: 'Standard',
    description: 'Everyday banking: balances, statements and transfers to people you have paid before.',
  },
  [ACR_HIGH]: {
    name: 'High',
    description: 'Sensitive actions such as large transfers or adding a new payee. Needs a security key.',
  },
};
