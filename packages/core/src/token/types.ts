import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { AuthorizationDetail } from '../transaction/schema.js';

/** An access token that passed every check of `verifyAccessToken`. */
export interface VerifiedToken {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId?: string;
  /** `acr` (RFC 9068 §2.2.3.1), absent when the token has none. */
  readonly acr?: string;
  /** The named level of `acr`, when levels are configured and it maps to one. */
  readonly level?: string;
  readonly amr?: readonly string[];
  /** `auth_time`, seconds since the epoch. */
  readonly authTime?: number;
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
