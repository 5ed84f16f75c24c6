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
  readonly claims: Readonly<JWTPayload>;
  readonly header: Readonly<ProtectedHeaderParameters>;
}
