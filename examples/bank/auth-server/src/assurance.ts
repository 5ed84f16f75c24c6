// The bank's levels are defined once, in the contract the API and the web client read too, so the
// authorization server and its resource server cannot drift. This module re-exports them for the rest
// of the authorization server, and adds the one mapping only the authorization server makes: which
// level a credential of each `@stepup/mds` class reaches.
import { ACR_HIGH, ACR_STANDARD, type BankAcr } from '@stepup-example/contract';

export {
  ACR_HIGH,
  ACR_STANDARD,
  acrSatisfies,
  BANK_ACR_VALUES,
  type BankAcr,
  isBankAcr,
  LEVEL_WORDS,
  requiredAcr,
} from '@stepup-example/contract';

/** The class `@stepup/mds` gives a registration. */
export type AuthenticatorClass = 'rejected' | 'low' | 'medium' | 'high';

/**
 * The acr a credential of this class reaches, or `undefined` when the class may not be used at all
 * (`low`: no user verification; `rejected`: refused by policy or by the metadata status).
 */
export function acrForClass(cls: AuthenticatorClass): BankAcr | undefined {
  if (cls === 'high') return ACR_HIGH;
  if (cls === 'medium') return ACR_STANDARD;
  return undefined;
}
