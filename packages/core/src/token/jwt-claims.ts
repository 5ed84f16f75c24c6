import { StepUpError, type StepUpErrorCode } from '../errors.js';

/** What the registered-claims check needs to know about the issuer. */
export interface ClaimsExpectation {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly requiredClaims: readonly string[];
}

/** The claims whose presence jose checks, in its order: `[...required, 'aud', 'iss']`, deduplicated in reverse. */
export function presenceOrder(requiredClaims: readonly string[]): readonly string[] {
  return [...new Set([...requiredClaims, 'aud', 'iss'].reverse())];
}

const fail = (code: StepUpErrorCode, message: string) => new StepUpError(code, message);
const CLAIMS = 'The access token lacks a required claim or has an invalid one';

function audienceMatches(aud: unknown, expected: string | readonly string[]): boolean {
  if (typeof expected === 'string') return aud === expected || (Array.isArray(aud) && aud.includes(expected));
  if (typeof aud === 'string') return expected.includes(aud);
  if (Array.isArray(aud)) return expected.some((value) => aud.includes(value));
  return false;
}

/** A numeric date claim, when present, must be a number (RFC 7519 §2); jose reports it by name. */
function numericDate(payload: Readonly<Record<string, unknown>>, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw fail('ERR_TOKEN_CLAIMS', CLAIMS);
  return value;
}

/**
 * The registered-claims checks of jose's `jwtVerify` (RFC 7519 §4.1), in jose's order and with the
 * codes the jose backend maps jose's errors to, so both backends decide alike: presence of the required
 * claims plus `iss` and `aud` (in jose's order, `presenceOrder`), `iss` equal, `aud`
 * containing an accepted audience, then `iat`, `nbf` and `exp` numbers, `nbf` not after now plus the
 * tolerance, `exp` after now minus the tolerance. `now` is whole seconds, as jose computes it.
 *
 * @throws StepUpError `ERR_TOKEN_ISSUER`, `ERR_TOKEN_AUDIENCE`, `ERR_TOKEN_CLAIMS`, `ERR_TOKEN_NOT_YET_VALID`,
 * `ERR_TOKEN_EXPIRED`
 */
export function checkRegisteredClaims(
  payload: Readonly<Record<string, unknown>>,
  expected: ClaimsExpectation & { readonly presence: readonly string[] },
  nowMs: number,
  tolerance: number,
): void {
  for (const claim of expected.presence) {
    if (Object.hasOwn(payload, claim)) continue;
    if (claim === 'iss') throw fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted');
    if (claim === 'aud') throw fail('ERR_TOKEN_AUDIENCE', 'The access token is not for this resource');
    throw fail('ERR_TOKEN_CLAIMS', CLAIMS);
  }
  if (payload.iss !== expected.issuer)
    throw fail('ERR_TOKEN_ISSUER', 'The access token issuer is not accepted');
  if (!audienceMatches(payload.aud, expected.audience))
    throw fail('ERR_TOKEN_AUDIENCE', 'The access token is not for this resource');
  const now = Math.floor(nowMs / 1000);
  numericDate(payload, 'iat');
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance)
    throw fail('ERR_TOKEN_NOT_YET_VALID', 'The access token is not yet valid');
  const exp = numericDate(payload, 'exp');
  if (exp !== undefined && exp <= now - tolerance)
    throw fail('ERR_TOKEN_EXPIRED', 'The access token expired');
}
