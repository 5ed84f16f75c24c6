import { StepUpError } from '../errors.js';
import { QUOTABLE, TOKEN, TOKEN68 } from './grammar.js';
import type { Challenge } from './types.js';

const malformed = (what: string) =>
  new StepUpError('ERR_CHALLENGE_INVALID', `Cannot serialize challenge: ${what}`);

/** Quotes a value as an RFC 9110 §5.6.4 quoted-string, escaping `\` and `"` (never swapping characters). */
export function quote(value: string): string {
  if (!QUOTABLE.test(value)) throw malformed('a value contains a control character');
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Makes a string safe for `error_description`, which RFC 6750 §3 limits to %x20-21 / %x23-5B / %x5D-7E:
 * no `"`, no `\`, nothing outside printable ASCII. Runs of removed characters become one space.
 */
export function sanitizeDescription(text: string): string {
  return text
    .replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Serializes one challenge: `Scheme name="value", …` or `Scheme token68`. Every parameter value is
 * quoted and escaped, so URN and URL values (which contain `:` and `/`) are always valid.
 *
 * @throws StepUpError `ERR_CHALLENGE_INVALID` for a scheme or parameter name that is not a token, a
 * bad token68, or a value with control characters (which would allow header injection).
 * @example serializeChallenge({ scheme: 'Bearer', params: { error: 'invalid_token' } }) // 'Bearer error="invalid_token"'
 */
export function serializeChallenge(challenge: Challenge): string {
  if (!TOKEN.test(challenge.scheme)) throw malformed('the scheme is not a token');
  if (challenge.token68 !== undefined) {
    if (!TOKEN68.test(challenge.token68)) throw malformed('invalid token68');
    if (Object.keys(challenge.params).length > 0) throw malformed('token68 and parameters are exclusive');
    return `${challenge.scheme} ${challenge.token68}`;
  }
  const params: string[] = [];
  for (const [name, value] of Object.entries(challenge.params)) {
    if (!TOKEN.test(name)) throw malformed(`parameter name ${JSON.stringify(name)} is not a token`);
    params.push(`${name}=${quote(value)}`);
  }
  return params.length === 0 ? challenge.scheme : `${challenge.scheme} ${params.join(', ')}`;
}

/** Serializes several challenges into one `WWW-Authenticate` value, comma-separated (RFC 9110 §11.6.1). */
export function serializeChallenges(challenges: readonly Challenge[]): string {
  return challenges.map(serializeChallenge).join(', ');
}
