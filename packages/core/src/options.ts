import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { checkAssurance } from './assurance/check-options.js';
import { assuranceSchemas } from './assurance/schema.js';
import type { AuditEvent } from './audit.js';
import { QUOTABLE } from './challenge/grammar.js';
import type { Challenge } from './challenge/types.js';
import { dpopSchema } from './dpop/options.js';
import { type StepUpError, StepUpError as StepUpErrorClass } from './errors.js';
import { applyProfileDefaults, checkProfile } from './fapi/fapi2.js';
import { checkMetadata, metadataSchema } from './metadata/options.js';
import type { RequirementFn } from './policy/requirement.js';
import { ASYMMETRIC_ALGORITHMS, fn, printable, secureUrl, spaceless } from './schema.js';
import { PRIVATE_MEMBERS } from './token/key-entry.js';
import { transactionsOptionsSchema } from './transaction/options.js';
import { transactionSchema } from './transaction/schema.js';

export { type Algorithm, ASYMMETRIC_ALGORITHMS } from './schema.js';

/** A value written as a quoted-string in every challenge (RFC 9110 §5.6.4). */
export const headerValue = printable.refine(
  (value) => QUOTABLE.test(value),
  'cannot be written into a header',
);
/** `issuers[i].assurance` and `issuers[i].untypedTokens` (defined in `assurance/schema.ts`). */
const { assurance: assuranceSchema, untypedTokens: untypedTokensSchema } = assuranceSchemas({
  spaceless,
  headerValue,
  secureUrl,
});

/** A public verification key given inline: no private members, and importable now, not at first use. */
// `kty` is optional in the type only, so that jose's `JWK` and `JSONWebKeySet` are accepted as they are.
const publicJwk = z
  .looseObject({ kty: z.string().optional() })
  .refine((jwk) => jwk.kty !== undefined, { message: 'must have a kty' })
  .refine((jwk) => PRIVATE_MEMBERS.every((name) => !(name in jwk)), {
    message: 'must be a public key (remove the private members d, p, q, dp, dq, qi, oth, k)',
  })
  .refine(
    (jwk) => {
      try {
        createPublicKey({ key: jwk as never, format: 'jwk' });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a usable public key (node:crypto cannot import it)' },
  );

const issuerSchema = z
  .strictObject({
    issuer: printable,
    audience: z.union([printable, z.array(printable).min(1)]),
    algorithms: z
      .array(
        z.enum(ASYMMETRIC_ALGORITHMS, { message: 'must be an asymmetric JWS algorithm (never none or HS*)' }),
      )
      .min(1)
      .default(['ES256', 'RS256']),
    jwksUri: secureUrl.optional(),
    jwks: z.strictObject({ keys: z.array(publicJwk).min(1) }).optional(),
    legacyJwtTyp: z.boolean().default(false),
    legacyClaims: z.boolean().default(false),
    untypedTokens: untypedTokensSchema.optional(),
    assurance: assuranceSchema.optional(),
    jwksCooldown: z.number().int().min(1000, 'must be at least 1000 ms').default(30_000),
    jwksCacheMaxAge: z.number().int().min(1000).default(600_000),
    jwksTimeout: z.number().int().min(1).max(60_000).default(5_000),
  })
  .refine((v) => (v.jwksUri === undefined) !== (v.jwks === undefined), {
    message: 'give exactly one of jwksUri and jwks',
    path: ['jwksUri'],
  })
  .refine((v) => v.jwksCacheMaxAge >= v.jwksCooldown, {
    message: 'must be at least jwksCooldown (a set must outlive the wait before its next fetch)',
    path: ['jwksCacheMaxAge'],
  });

const levelObject = z.strictObject({ name: spaceless, acr: z.array(spaceless).min(1).default([]) });
/** A level: `{ name, acr }`, or only its name when only profile issuers (`issuers[i].assurance.levels`) map it. */
const levelSchema = z.union([spaceless.transform((name) => ({ name, acr: [] as string[] })), levelObject]);

/** A static requirement; `maxAge: 0` is refused (it would reject every token). */
export const requirementSchema = z
  .strictObject({
    level: spaceless.optional(),
    acr: z.array(spaceless).min(1).optional(),
    maxAge: z
      .number()
      .int()
      .min(1, 'maxAge must be at least 1 second: 0 would reject every token')
      .max(31_536_000)
      .optional(),
    amr: z.array(spaceless).min(1).optional(),
    scope: z.union([spaceless, z.array(spaceless).min(1)]).optional(),
    transaction: transactionSchema.optional(),
  })
  .refine((v) => v.level === undefined || v.acr === undefined, {
    message: 'level and acr are exclusive: name a level or list acceptable acr values',
    path: ['acr'],
  });

type StaticRequirement = z.output<typeof requirementSchema>;

/**
 * A requirement object or a function computing one. Not a `z.union`: a union reports a wrong-typed field
 * inside the object as "Invalid input" on the whole operation; this reports `operations.pay.maxAge: …`.
 */
const operationSchema = z
  .custom<z.input<typeof requirementSchema> | RequirementFn>()
  .transform((value, ctx): StaticRequirement | RequirementFn => {
    if (typeof value === 'function') return value;
    const result = requirementSchema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues)
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys)
          ctx.addIssue({ code: 'custom', message: 'unknown option', path: [...issue.path.map(String), key] });
      else ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.map(String) });
    return z.NEVER;
  });

const optionsSchema = z
  .strictObject({
    issuers: z.array(issuerSchema).min(1, 'configure at least one issuer'),
    levels: z.array(levelSchema).default([]),
    operations: z.record(z.string().min(1), operationSchema),
    realm: headerValue.optional(),
    resourceMetadata: secureUrl.optional(),
    clockTolerance: z.number().int().min(0).max(600).default(30),
    maxTokenLength: z.number().int().min(256).max(1_000_000).default(8192),
    cache: z
      .union([
        z.literal(false),
        z.strictObject({
          max: z.number().int().min(1).max(10_000_000).default(10_000),
          admit: z.enum(['reused', 'first']).default('reused'),
        }),
      ])
      .default({ max: 10_000, admit: 'reused' }),
    transactions: transactionsOptionsSchema.default({}),
    backend: z.enum(['native', 'jose']).default('native'),
    now: fn<() => number>('now').optional(),
    monotonic: fn<() => number>('monotonic').optional(),
    fetch: fn<typeof fetch>('fetch').optional(),
    audit: fn<(event: AuditEvent) => void>('audit').optional(),
    logger: z
      .looseObject({
        warn: fn<(message: string, data?: object) => void>('logger.warn'),
        error: fn<(message: string, data?: object) => void>('logger.error').optional(),
      })
      .optional(),
    formatChallenge:
      fn<(error: StepUpError) => Challenge | readonly Challenge[]>('formatChallenge').optional(),
    /** DPoP (RFC 9449) at the resource server; without it only the Bearer scheme is accepted. */
    dpop: dpopSchema.optional(),
    /** RFC 9728 protected resource metadata, served by the adapters. */
    metadata: metadataSchema.optional(),
    /** A security profile whose rules the options must meet (`fapi2`: FAPI 2.0 Security Profile). */
    profile: z.literal('fapi2').optional(),
  })
  .superRefine((options, ctx) => {
    checkMetadata(options, ctx);
    checkProfile(options, ctx);
    const names = new Set<string>();
    const acrs = new Set<string>();
    options.levels.forEach((level, i) => {
      if (names.has(level.name))
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'name'], message: 'duplicate level name' });
      names.add(level.name);
      for (const acr of level.acr) {
        if (acrs.has(acr))
          ctx.addIssue({
            code: 'custom',
            path: ['levels', i, 'acr'],
            message: `acr ${acr} is in two levels`,
          });
        acrs.add(acr);
      }
    });
    for (const [operation, requirement] of Object.entries(options.operations)) {
      if (
        typeof requirement === 'function' ||
        requirement.level === undefined ||
        names.has(requirement.level)
      )
        continue;
      ctx.addIssue({
        code: 'custom',
        path: ['operations', operation, 'level'],
        message: `unknown level ${requirement.level}`,
      });
    }
    const issuers = options.issuers.map((i) => i.issuer);
    if (new Set(issuers).size !== issuers.length)
      ctx.addIssue({ code: 'custom', path: ['issuers'], message: 'duplicate issuer' });
    checkAssurance(options, ctx);
  });

/** Options of `createStepUp`, as the user writes them. */
export type StepUpOptions = z.input<typeof optionsSchema>;
/** Options after validation and defaults. */
export type ResolvedOptions = z.output<typeof optionsSchema>;
export type IssuerOptions = z.input<typeof issuerSchema>;
export type ResolvedIssuer = z.output<typeof issuerSchema>;
export type LevelOptions = z.input<typeof levelSchema>;

/** Every zod issue as `{ path, message }`, with unknown keys named in the path (`realm2`, not root). */
export function listIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown option' }));
    return [{ path: path.join('.') || '(root)', message: issue.message }];
  });
}

/** Formats zod issues into one message that names each field, e.g. `operations.pay.maxAge: …`. */
export function describeIssues(error: z.ZodError): {
  message: string;
  path: string;
  issues: { path: string; message: string }[];
} {
  const issues = listIssues(error);
  return {
    message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    path: issues[0]?.path ?? '',
    issues,
  };
}

/**
 * Validates options with a schema once, at construction.
 * @throws StepUpError `ERR_CONFIG_INVALID` naming every invalid field (`details.issues`).
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const { message, path, issues } = describeIssues(result.error);
  throw new StepUpErrorClass('ERR_CONFIG_INVALID', `Invalid ${what}: ${message}`, {
    details: { path, issues },
    cause: result.error,
  });
}

/**
 * Validates the engine's options once, at construction.
 * @throws StepUpError `ERR_CONFIG_INVALID` naming every invalid field.
 */
export function parseOptions(input: unknown): ResolvedOptions {
  return parseWith(optionsSchema, applyProfileDefaults(input), 'stepup options');
}
