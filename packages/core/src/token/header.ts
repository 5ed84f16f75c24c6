import { StepUpError, type StepUpErrorCode } from '../errors.js';

const fail = (code: StepUpErrorCode, message: string) => new StepUpError(code, message);

function normalizeTyp(typ: unknown): string | undefined {
  if (typeof typ !== 'string') return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice(12) : lower;
}

/** What the header says about the key to use. */
export interface TokenHeader {
  readonly alg: string;
  readonly kid: string | undefined;
}

/**
 * The header checks made before any key is looked up (RFC 8725 §3.1, §3.11; RFC 9068 §4): `alg` on the
 * issuer's allow-list (so `none` and `HS*` never reach a key), no `crit` and no `b64` (no JWS extension
 * is understood here: RFC 7515 §4.1.11 makes an extension listed in `crit` mandatory to understand, and
 * RFC 7797's unencoded payload changes what is signed), `typ` `at+jwt` (or `JWT` when the issuer has
 * `legacyJwtTyp`; or none at all when the issuer has `untypedTokens`, whose mark `toVerifiedToken` then
 * requires), and a string `kid` when there is one. An embedded `jwk`, `jku`, `x5u` or `x5c` is
 * never used: keys come only from the issuer's configured set.
 *
 * @throws StepUpError `ERR_TOKEN_ALGORITHM`, `ERR_TOKEN_CRIT`, `ERR_TOKEN_TYPE`, `ERR_TOKEN_MALFORMED`
 */
export function checkHeader(
  header: Readonly<Record<string, unknown>>,
  algorithms: ReadonlySet<string>,
  legacyJwtTyp: boolean,
  allowUntyped = false,
): TokenHeader {
  const { alg, kid } = header;
  if (typeof alg !== 'string' || !algorithms.has(alg))
    throw fail('ERR_TOKEN_ALGORITHM', 'The access token algorithm is not accepted');
  if (header.crit !== undefined || header.b64 !== undefined)
    throw fail('ERR_TOKEN_CRIT', 'The access token has unsupported critical headers');
  const typ = normalizeTyp(header.typ);
  const untyped = allowUntyped && header.typ === undefined;
  if (typ !== 'at+jwt' && !(typ === 'jwt' && legacyJwtTyp) && !untyped)
    throw fail('ERR_TOKEN_TYPE', 'The token is not an access token (typ must be at+jwt)');
  if (kid !== undefined && typeof kid !== 'string')
    throw fail('ERR_TOKEN_MALFORMED', 'The access token is malformed');
  return { alg, kid };
}
