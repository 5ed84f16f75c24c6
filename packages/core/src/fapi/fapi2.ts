import { createPublicKey } from 'node:crypto';
import type { z } from 'zod';

/**
 * JWS algorithms FAPI 2.0 allows (Security Profile §5.4.1): PS256, ES256 and EdDSA with Ed25519,
 * which RFC 9864 also names `Ed25519`.
 */
export const FAPI2_ALGORITHMS: readonly string[] = ['PS256', 'ES256', 'EdDSA', 'Ed25519'];
/** The clock tolerance under the profile when none is given: timestamps up to 10 s ahead. */
export const FAPI2_DEFAULT_CLOCK_TOLERANCE = 10;
/** The profile never accepts timestamps more than 60 s in the future. */
export const FAPI2_MAX_CLOCK_TOLERANCE = 60;
const FAPI2_DEFAULT_ALGORITHMS = FAPI2_ALGORITHMS;
const MIN_RSA_BITS = 2048;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The profile's defaults, filled into the raw options where the user gave none (a default the schema
 * would apply later cannot be told from a value given on purpose): `clockTolerance` 10, each issuer's
 * `algorithms` PS256 ES256 EdDSA, `dpop.required` true. Anything malformed is left to the schema.
 */
export function applyProfileDefaults(input: unknown): unknown {
  if (!isObject(input) || input.profile !== 'fapi2') return input;
  const options: Record<string, unknown> = { ...input };
  options.clockTolerance ??= FAPI2_DEFAULT_CLOCK_TOLERANCE;
  if (Array.isArray(options.issuers))
    options.issuers = options.issuers.map((issuer: unknown) =>
      isObject(issuer) && issuer.algorithms === undefined
        ? { ...issuer, algorithms: FAPI2_DEFAULT_ALGORITHMS }
        : issuer,
    );
  if (isObject(options.dpop) && options.dpop.required === undefined)
    options.dpop = { ...options.dpop, required: true };
  return options;
}

/** What `checkProfile` reads from the resolved options. */
interface Checked {
  readonly profile?: 'fapi2' | undefined;
  readonly clockTolerance: number;
  readonly issuers: readonly {
    readonly algorithms: readonly string[];
    readonly jwks?: { readonly keys: readonly Readonly<Record<string, unknown>>[] } | undefined;
  }[];
  readonly dpop?: { readonly required: boolean; readonly algorithms: readonly string[] } | undefined;
}

function rsaBits(jwk: Readonly<Record<string, unknown>>): number | undefined {
  if (jwk.kty !== 'RSA') return undefined;
  return createPublicKey({ key: jwk as never, format: 'jwk' }).asymmetricKeyDetails?.modulusLength;
}

/**
 * The FAPI 2.0 Security Profile at the resource server (REFERENCE §11), checked on the resolved options
 * at construction; a value that weakens it is an issue naming the field and the profile: PS256, ES256,
 * EdDSA only (tokens and proofs), sender-constrained tokens required (`dpop` with `required`), a clock
 * tolerance of at most 60 s, RSA keys of at least 2048 bits. Tokens outside the `Authorization` header
 * are refused whatever the profile. Not checked: mTLS-bound tokens (not supported), revocation.
 */
export function checkProfile(options: Checked, ctx: z.RefinementCtx): void {
  if (options.profile !== 'fapi2') return;
  const weakens = (path: (string | number)[], what: string) =>
    ctx.addIssue({ code: 'custom', path, message: `${what} weakens profile fapi2` });
  if (options.clockTolerance > FAPI2_MAX_CLOCK_TOLERANCE)
    weakens(['clockTolerance'], `more than ${FAPI2_MAX_CLOCK_TOLERANCE} seconds`);
  const allowed = (algs: readonly string[]) => algs.filter((alg) => !FAPI2_ALGORITHMS.includes(alg));
  options.issuers.forEach((issuer, i) => {
    const extra = allowed(issuer.algorithms);
    if (extra.length > 0)
      weakens(['issuers', i, 'algorithms'], `${extra.join(', ')} (allowed: ${FAPI2_ALGORITHMS.join(', ')})`);
    issuer.jwks?.keys.forEach((jwk, k) => {
      const bits = rsaBits(jwk);
      if (bits !== undefined && bits < MIN_RSA_BITS)
        weakens(['issuers', i, 'jwks', 'keys', k], `an RSA key of ${bits} bits (at least ${MIN_RSA_BITS})`);
    });
  });
  if (options.dpop === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['dpop'],
      message: 'is required by profile fapi2 (sender-constrained tokens)',
    });
    return;
  }
  if (!options.dpop.required) weakens(['dpop', 'required'], 'accepting Bearer tokens');
  const extra = allowed(options.dpop.algorithms);
  if (extra.length > 0)
    weakens(['dpop', 'algorithms'], `${extra.join(', ')} (allowed: ${FAPI2_ALGORITHMS.join(', ')})`);
}
