import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { AuthorizationDetail } from '../transaction/schema.js';

/** An access token that passed every check of `verifyAccessToken`. */
export interface VerifiedToken {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId?: string;
  /** `acr` (RFC 9068 §2.2.3.1), absent when the token has none. */
  readonly acr?: string;
  /**
   * The highest named level the token reaches under its issuer's rules (`issuers[i].assurance`; by
   * default the level of `acr` in `levels`), when it reaches one.
   */
  readonly level?: string;
  readonly amr?: readonly string[];
  /** `auth_time`, seconds since the epoch. */
  readonly authTime?: number;
  /**
   * When the user last authenticated by the issuer's freshness rule, seconds since the epoch: `auth_time`
   * by default, the configured claim where `auth_time` does not move on step-up (Auth0), absent when the
   * token or its issuer cannot say. `maxAge` is checked against this, never against a fallback.
   */
  readonly authenticatedAt?: number;
  readonly scopes: ReadonlySet<string>;
  /**
   * The approved `authorization_details` (RFC 9396 §9.1), frozen; absent when the token has none. Each
   * has a non-empty string `type`; their other members are whatever the authorization server approved.
   */
  readonly authorizationDetails?: readonly AuthorizationDetail[];
  /** `exp`, seconds since the epoch. */
  readonly expiresAt: number;
  /**
   * The token's confirmation (`cnf`, RFC 7800), present when it is sender-constrained: `jkt` is the
   * SHA-256 JWK thumbprint of the DPoP key it is bound to (RFC 9449 §6.1); `x5t#S256` (mTLS, RFC 8705)
   * is read but not verified here, so such a token is refused (see the README).
   */
  readonly confirmation?: TokenConfirmation;
  readonly claims: Readonly<JWTPayload>;
  readonly header: Readonly<ProtectedHeaderParameters>;
}

/** A token's `cnf` claim, as far as this library understands it. */
export interface TokenConfirmation {
  /** RFC 9449 §6.1: base64url SHA-256 JWK thumbprint (RFC 7638) of the DPoP public key. */
  readonly jkt?: string;
  /** RFC 8705 §3.1: base64url SHA-256 thumbprint of the client certificate. */
  readonly 'x5t#S256'?: string;
}
