import { isDeepStrictEqual } from 'node:util';
import type { AuthorizationDetail, AuthorizationDetailMatcher } from './schema.js';

/**
 * Whether `approved` carries every member of `expected` with exactly the same JSON value: `type`,
 * `instructedAmount` (`currency` and the `amount` string), `creditorAccount`, and any other member the
 * expected detail names. Exact means no normalisation (RFC 9396 §12): `"1500.00"` is not `"1500"`, an
 * IBAN with spaces is not the same IBAN without, and nested objects must have the same members. Members
 * only the approved detail has (added by the authorization server) are not compared.
 */
export function sameDetail(approved: AuthorizationDetail, expected: AuthorizationDetail): boolean {
  for (const member of Object.keys(expected))
    if (!Object.hasOwn(approved, member) || !isDeepStrictEqual(approved[member], expected[member]))
      return false;
  return true;
}

/**
 * Matches what a request does against what was approved (RFC 9396 §9, §12). Every expected detail must
 * be matched by an approved one: `sameDetail`, then `match` when given (both must accept).
 *
 * @returns the approved details that matched, one per expected detail, in its order; `undefined` when
 * any expected detail has no match.
 * @example
 * const approved = matchAuthorizationDetails(token.authorizationDetails ?? [], [
 *   { type: 'payment_initiation', instructedAmount: { currency: 'EUR', amount: '1500.00' }, creditorAccount: { iban } },
 * ]);
 */
export function matchAuthorizationDetails(
  approved: readonly AuthorizationDetail[],
  expected: readonly AuthorizationDetail[],
  match?: AuthorizationDetailMatcher,
): readonly AuthorizationDetail[] | undefined {
  const matched: AuthorizationDetail[] = [];
  for (const wanted of expected) {
    const found = approved.find(
      (detail) => sameDetail(detail, wanted) && (match === undefined || match(detail, wanted) === true),
    );
    if (found === undefined) return undefined;
    matched.push(found);
  }
  return matched;
}
