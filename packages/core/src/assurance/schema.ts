import { z } from 'zod';
import type { Challenge } from '../challenge/types.js';
import type { StepUpError } from '../errors.js';

/** The primitive schemas of `options.ts`, passed in so that this file does not import it back. */
export interface Primitives {
  /** Printable ASCII without spaces, quotes or backslashes (an acr value, a level name). */
  readonly spaceless: z.ZodString;
  /** A value that can be written as a quoted-string into a header. */
  readonly headerValue: z.ZodType<string>;
  /** An https URL (http only on localhost). */
  readonly secureUrl: z.ZodType<string>;
}

/** Where an issuer states the level of a sign-in (see `issuers[i].assurance.from`). */
export const EVIDENCE_SOURCES = ['acr', 'acrs', 'amr', 'scope', 'none'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * The schemas of the per-issuer option groups `assurance` and `untypedTokens`, built from the
 * primitives of `options.ts` (a factory, so that the two modules do not import each other).
 */
export function assuranceSchemas({ spaceless, headerValue, secureUrl }: Primitives) {
  const claimName = z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be a claim name in printable ASCII');
  /** Microsoft Entra's claims challenge (learn.microsoft.com/entra/identity-platform/claims-challenge). */
  const entraChallenge = z.strictObject({
    format: z.literal('entra'),
    /** The authorize endpoint the client sends the claims request to (required by Entra's format). */
    authorizationUri: secureUrl,
    /** The tenant; Entra requires the empty string only for the `common` endpoint, which is not used here. */
    realm: headerValue.optional(),
    /** The API's application (client) ID, as Microsoft's samples send it. */
    clientId: headerValue.optional(),
  });
  const formatter = z.custom<(error: StepUpError) => Challenge | readonly Challenge[]>(
    (value) => typeof value === 'function',
    { message: 'must be rfc9470, an { format: "entra", … } object or a function' },
  );
  const assurance = z.strictObject({
    from: z
      .enum(EVIDENCE_SOURCES, { message: `must be one of ${EVIDENCE_SOURCES.join(', ')}` })
      .default('acr'),
    /** This issuer's values for each named level (first value canonical); `acr` defaults to `levels[].acr`. */
    levels: z.record(spaceless, z.array(spaceless).min(1)).optional(),
    /** The level every valid token of this issuer reaches without evidence (and the levels below it). */
    baseline: spaceless.optional(),
    freshness: z
      .union([
        z.enum(['auth_time', 'none']),
        z.strictObject({ claim: claimName }),
        z.strictObject({ none: z.string().min(1).max(500) }),
      ])
      .default('auth_time'),
    challenge: z.union([z.literal('rfc9470'), entraChallenge, formatter]).default('rfc9470'),
  });
  const untypedTokens = z.strictObject({ claim: claimName, value: z.string().min(1).optional() });
  return { assurance, untypedTokens };
}

type Schemas = ReturnType<typeof assuranceSchemas>;
/** `issuers[i].assurance` as the user writes it. */
export type AssuranceOptions = z.input<Schemas['assurance']>;
/** `issuers[i].assurance` after validation and defaults. */
export type ResolvedAssurance = z.output<Schemas['assurance']>;
/** `issuers[i].assurance.challenge` when it is Entra's claims challenge. */
export type EntraChallengeOptions = Extract<ResolvedAssurance['challenge'], { format: 'entra' }>;
/** `issuers[i].untypedTokens`. */
export type UntypedTokens = z.output<Schemas['untypedTokens']>;
