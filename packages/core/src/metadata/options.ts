import { z } from 'zod';
import { printable, secureUrl, spaceless } from '../schema.js';

/** A resource identifier (RFC 9728 §1.2, RFC 8707 §2): an https URL without query or fragment. */
const resourceIdentifier = secureUrl.refine(
  (value) => {
    const url = new URL(value);
    return url.search === '' && url.hash === '' && !value.includes('#') && !value.includes('?');
  },
  { message: 'must have no query and no fragment (RFC 9728 §1.2)' },
);

/**
 * The `metadata` option of `createStepUp`: the RFC 9728 protected resource metadata this API publishes
 * at `/.well-known/oauth-protected-resource{path}`. `bearer_methods_supported` (`header`, the only
 * method accepted), `dpop_signing_alg_values_supported` and `dpop_bound_access_tokens_required` are
 * derived from the engine's options, never written twice.
 */
export const metadataSchema = z.strictObject({
  /** The resource identifier: the `aud` of the tokens this API accepts. */
  resource: resourceIdentifier,
  /** Issuer identifiers of the authorization servers; default: every configured issuer. */
  authorizationServers: z.array(secureUrl).min(1).optional(),
  scopesSupported: z.array(spaceless).optional(),
  resourceName: printable.optional(),
  resourceDocumentation: secureUrl.optional(),
  resourcePolicyUri: secureUrl.optional(),
  resourceTosUri: secureUrl.optional(),
  /** Seconds clients and caches may keep the document (`Cache-Control: max-age`). */
  maxAge: z.number().int().min(0).max(86_400).default(3600),
});

export type MetadataOptions = z.input<typeof metadataSchema>;
export type ResolvedMetadataOptions = z.output<typeof metadataSchema>;

/**
 * The well-known URL of a resource's metadata (RFC 9728 §3.1): the well-known segment is inserted
 * between the host and the path, the path's terminating slash removed.
 */
export function metadataUrl(resource: string): { readonly url: string; readonly path: string } {
  const { origin, pathname } = new URL(resource);
  const suffix = pathname === '/' ? '' : pathname.replace(/\/$/, '');
  const path = `/.well-known/oauth-protected-resource${suffix}`;
  return { url: `${origin}${path}`, path };
}

/** What the cross-field checks read from the engine's options. */
interface Checked {
  readonly metadata?: ResolvedMetadataOptions | undefined;
  readonly resourceMetadata?: string | undefined;
  readonly issuers: readonly { readonly issuer: string; readonly audience: string | readonly string[] }[];
}

/**
 * The checks of `metadata` against the rest of the options, at construction: `resource` must be an
 * audience of some issuer (else no token this API accepts would be for the resource it advertises),
 * and a `resourceMetadata` given as well must be the metadata's own URL.
 */
export function checkMetadata(options: Checked, ctx: z.RefinementCtx): void {
  const { metadata } = options;
  if (metadata === undefined) return;
  const audiences = options.issuers.flatMap((i) => [i.audience].flat());
  if (!audiences.includes(metadata.resource))
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'resource'],
      message: 'must be an audience of a configured issuer (tokens for this resource carry it in aud)',
    });
  const { url } = metadataUrl(metadata.resource);
  if (options.resourceMetadata !== undefined && options.resourceMetadata !== url)
    ctx.addIssue({
      code: 'custom',
      path: ['resourceMetadata'],
      message: `must be the metadata URL ${url}, or be left out (it is derived from metadata.resource)`,
    });
}
