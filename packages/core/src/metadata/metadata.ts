import type { ResolvedDpopOptions } from '../dpop/options.js';
import { metadataUrl, type ResolvedMetadataOptions } from './options.js';

/** The RFC 9728 §2 document (the members this library publishes). */
export interface ProtectedResourceMetadataDocument {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly resource_policy_uri?: string;
  readonly resource_tos_uri?: string;
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required?: boolean;
}

/** The metadata as adapters serve it: built once, at construction. */
export interface ProtectedResourceMetadata {
  /** The path to serve it at, `/.well-known/oauth-protected-resource{resource path}`. */
  readonly path: string;
  /** Its URL, also sent as `resource_metadata` in every challenge. */
  readonly url: string;
  readonly document: ProtectedResourceMetadataDocument;
  /** The response body (the document as JSON). */
  readonly body: string;
  /** The response headers: JSON, cacheable for `maxAge`, readable from any origin (it is public). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Builds the protected resource metadata document (RFC 9728 §2, §3.2) from validated options, once:
 * `resource`, `authorization_servers` (default: the configured issuers), `bearer_methods_supported`
 * (`header`: tokens in the query or body are refused), the optional descriptive members, and, with DPoP,
 * `dpop_signing_alg_values_supported` and `dpop_bound_access_tokens_required`. Not signed
 * (`signed_metadata` is not produced).
 */
export function createMetadata(options: {
  readonly metadata?: ResolvedMetadataOptions | undefined;
  readonly issuers: readonly { readonly issuer: string }[];
  readonly dpop?: ResolvedDpopOptions | undefined;
}): ProtectedResourceMetadata | undefined {
  const { metadata, dpop } = options;
  if (metadata === undefined) return undefined;
  const document: {
    -readonly [K in keyof ProtectedResourceMetadataDocument]: ProtectedResourceMetadataDocument[K];
  } = {
    resource: metadata.resource,
    authorization_servers: metadata.authorizationServers ?? options.issuers.map((i) => i.issuer),
    bearer_methods_supported: ['header'],
  };
  if (metadata.scopesSupported !== undefined) document.scopes_supported = metadata.scopesSupported;
  if (metadata.resourceName !== undefined) document.resource_name = metadata.resourceName;
  if (metadata.resourceDocumentation !== undefined)
    document.resource_documentation = metadata.resourceDocumentation;
  if (metadata.resourcePolicyUri !== undefined) document.resource_policy_uri = metadata.resourcePolicyUri;
  if (metadata.resourceTosUri !== undefined) document.resource_tos_uri = metadata.resourceTosUri;
  if (dpop !== undefined) {
    document.dpop_signing_alg_values_supported = dpop.algorithms;
    document.dpop_bound_access_tokens_required = dpop.required;
  }
  const { url, path } = metadataUrl(metadata.resource);
  return Object.freeze({
    path,
    url,
    document: Object.freeze(document),
    body: JSON.stringify(document),
    headers: Object.freeze({
      'content-type': 'application/json',
      'cache-control': `public, max-age=${metadata.maxAge}`,
      'access-control-allow-origin': '*',
    }),
  });
}
