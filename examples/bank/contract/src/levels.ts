/**
 * The bank's authentication levels, in one place: the authorization server issues these `acr` values,
 * the API's policies require them, the web and iOS clients explain them. Weakest first.
 *
 * | level | acr | what reaches it |
 * |---|---|---|
 * | `standard` | {@link ACR_STANDARD} | any passkey with user verification (UV): synced passkeys (BE=1) included, and device-bound ones whose attestation could not be verified |
 * | `high` | {@link ACR_HIGH} | a device-bound (BE=0), user-verified security key whose attestation chains to the FIDO MDS metadata of a certified model with hardware key protection |
 *
 * The levels are ordered: a higher level satisfies a request for a lower one (an application choice
 * on top of RFC 9470's set semantics, where `acr_values` lists values any one of which is acceptable).
 * Authenticators without user verification and those whose model is revoked or compromised cannot
 * register at all, so they have no level.
 *
 * Adding a level is adding a row to {@link BANK_LEVELS}: every type, check and word below follows.
 *
 * @see NIST SP 800-63B-4 (syncable authenticators reach AAL2, not AAL3); RFC 9470 §4.
 */
export const ACR_STANDARD = 'urn:stepup:bank:acr:standard';
/** The high level: a device-bound, attested, certified security key. See {@link ACR_STANDARD}. */
export const ACR_HIGH = 'urn:stepup:bank:acr:high';

/**
 * The levels, weakest first: the word the API's policies use (`level`), the acr value, and words for
 * a customer: the level's `name`, the kind of `credential` that reaches it, and what it is for.
 */
export const BANK_LEVELS = [
  {
    level: 'standard',
    acr: ACR_STANDARD,
    name: 'Standard',
    credential: 'passkey',
    description: 'Everyday banking: balances, statements and transfers to people you have paid before.',
  },
  {
    level: 'high',
    acr: ACR_HIGH,
    name: 'High',
    credential: 'security key',
    description: 'Sensitive actions such as large transfers or adding a new payee. Needs a security key.',
  },
] as const satisfies readonly {
  level: string;
  acr: string;
  name: string;
  credential: string;
  description: string;
}[];

/** One of the bank's levels. */
export type BankLevel = (typeof BANK_LEVELS)[number];
/** A level's word, as the API's policies name it: `standard`, `high`. */
export type BankLevelName = BankLevel['level'];
/** One of the bank's acr values. */
export type BankAcr = BankLevel['acr'];

/** The acr values in ascending order of assurance. */
export const BANK_ACR_VALUES: readonly BankAcr[] = BANK_LEVELS.map((l) => l.acr);

const RANK: ReadonlyMap<string, number> = new Map(BANK_LEVELS.map((l, i) => [l.acr, i]));

/** True when `value` is one of the bank's acr values. */
export function isBankAcr(value: unknown): value is BankAcr {
  return typeof value === 'string' && RANK.has(value);
}

/** The level of an acr value, or `undefined` for a value the bank does not issue. */
export function levelOfAcr(acr: unknown): BankLevel | undefined {
  return isBankAcr(acr) ? BANK_LEVELS[RANK.get(acr)!] : undefined;
}

/** The level named `name` (`standard`, `high`). */
export function levelNamed(name: BankLevelName): BankLevel {
  return BANK_LEVELS.find((l) => l.level === name)!;
}

/** True when an authentication at level `achieved` satisfies the level `required`. */
export function acrSatisfies(achieved: string | undefined, required: BankAcr): boolean {
  return isBankAcr(achieved) && RANK.get(achieved)! >= RANK.get(required)!;
}

/**
 * The level an authorization request or a challenge asks for, from its space-separated `acr_values`.
 *
 * Any one of the listed values is acceptable (RFC 9470), so the lowest known level among them is
 * what must be reached. Unknown values are ignored; a list of only unknown values cannot be met
 * (`unmet: true`). No `acr_values` at all means the lowest level.
 */
export function requiredAcr(acrValues: string | undefined): { acr: BankAcr; unmet: false } | { unmet: true } {
  if (acrValues === undefined || acrValues.trim() === '') return { acr: BANK_ACR_VALUES[0]!, unmet: false };
  const known = acrValues.split(' ').filter(isBankAcr);
  if (known.length === 0) return { unmet: true };
  const lowest = known.reduce((a, b) => (RANK.get(a)! <= RANK.get(b)! ? a : b));
  return { acr: lowest, unmet: false };
}

/** Words for a customer, per acr value. */
export const LEVEL_WORDS: Readonly<Record<BankAcr, { readonly name: string; readonly description: string }>> =
  Object.fromEntries(BANK_LEVELS.map((l) => [l.acr, { name: l.name, description: l.description }])) as Record<
    BankAcr,
    { name: string; description: string }
  >;
