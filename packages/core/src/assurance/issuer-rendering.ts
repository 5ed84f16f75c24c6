import { entraClaimsChallenge } from '../challenge/entra-claims-challenge.js';
import type { ChallengeRendering } from '../errors.js';
import type { IssuerRules } from './issuer-rules.js';

/**
 * How failures of this issuer's tokens are answered (`issuers[i].assurance.challenge`): RFC 9470 (the
 * engine's rendering as is), Entra's claims challenge, or the issuer's own formatter, all through the
 * one serializer. Failures before a token is verified have no trusted issuer: they keep `base`.
 */
export function issuerRendering(rules: IssuerRules, base: ChallengeRendering): ChallengeRendering {
  const { challenge } = rules;
  if (challenge === 'rfc9470') return base;
  if (typeof challenge === 'function') return { ...base, formatChallenge: challenge };
  return { ...base, formatChallenge: (error) => entraClaimsChallenge(error, challenge, base) };
}
