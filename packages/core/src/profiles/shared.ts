import { z } from 'zod';
import { parseWith } from '../options.js';
import { printable, secureUrl, spaceless } from '../schema.js';

/**
 * A profile's level mapping: each named level (of `levels`) to the provider's value(s) that prove it,
 * the first canonical (sent in challenges), the others aliases. One value may be given as a string.
 */
export const levelMap = z
  .record(spaceless, z.union([spaceless, z.array(spaceless).min(1)]))
  .refine((map) => Object.keys(map).length > 0, 'map at least one level')
  .transform((map) =>
    Object.fromEntries(
      Object.entries(map).map(([level, values]) => [level, ([] as string[]).concat(values)]),
    ),
  );
/** `{ standard: 'urn:okta:loa:1fa:any', high: ['urn:okta:loa:2fa:any', 'phr'] }`. */
export type LevelMap = z.input<typeof levelMap>;

/** The options every profile takes besides its provider's own. */
export const commonOptions = {
  /** The API's identifier, as the provider puts it in `aud`. */
  audience: z.union([printable, z.array(printable).min(1)]),
  /** Overrides the JWKS URL the profile derives from the issuer. */
  jwksUri: secureUrl.optional(),
  /** The level every valid token of this issuer reaches without evidence (and the levels below it). */
  baseline: spaceless.optional(),
};

/** An https origin or URL without a trailing slash (the profiles append paths to it). */
export const baseUrl = secureUrl.transform((url) => url.replace(/\/+$/, ''));

/**
 * Validates a profile's options at the call, at boot.
 * @throws StepUpError `ERR_CONFIG_INVALID` naming the field (`details.path`)
 */
export const parseProfile = <S extends z.ZodType>(schema: S, input: unknown, provider: string): z.output<S> =>
  parseWith(schema, input, `${provider} profile options`);

/** `{ baseline }` when given, so that the returned options carry no `undefined` members. */
export const withBaseline = (baseline: string | undefined) => (baseline === undefined ? {} : { baseline });

/** Levels from `acr` with the profile's values, `maxAge` on `auth_time`, RFC 9470 answers. */
export const acrAssurance = (levels: Record<string, string[]>, baseline: string | undefined) =>
  ({
    from: 'acr',
    levels,
    ...withBaseline(baseline),
    freshness: 'auth_time',
    challenge: 'rfc9470',
  }) as const;
