import { z } from 'zod';

/** Most authorization details one requirement may name (each must be approved). */
export const MAX_AUTHORIZATION_DETAILS = 16;

/**
 * One RFC 9396 §2 authorization details object: a `type` and type-specific members, all JSON. What an
 * access token carries in its `authorization_details` claim, and what a requirement demands.
 */
export const authorizationDetailSchema = z.object({ type: z.string().min(1) }).catchall(z.json());

/** One RFC 9396 authorization details object (`type` plus type-specific JSON members). */
export type AuthorizationDetail = Readonly<z.output<typeof authorizationDetailSchema>>;

/**
 * An extra check of an approved detail against the one the request needs, after the exact comparison
 * has passed: for type-specific members whose equality is not JSON equality. Must be pure and return
 * `true` to accept; anything else refuses.
 */
export type AuthorizationDetailMatcher = (
  approved: AuthorizationDetail,
  expected: AuthorizationDetail,
) => boolean;

// The common payment members (RFC 9396 §2 examples, REFERENCE §10): when a requirement names them, they
// must have the form the client will copy into its authorization request. An amount given as a number
// (such as integer minor units) is the likeliest bug, and the approved amount is always a string.
const instructedAmount = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  amount: z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a decimal string such as "1500.00"'),
});
const account = z.record(z.string(), z.json()).refine((value) => Object.keys(value).length > 0, {
  message: 'must identify an account, e.g. { iban }',
});

/** A detail a requirement demands: a valid authorization detail whose common members are well-formed. */
const expectedDetailSchema = authorizationDetailSchema.superRefine((detail, ctx) => {
  for (const [name, schema] of [
    ['instructedAmount', instructedAmount],
    ['creditorAccount', account],
    ['debtorAccount', account],
  ] as const) {
    if (!(name in detail)) continue;
    const result = schema.safeParse(detail[name]);
    for (const issue of result.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: [name, ...issue.path.map(String)] });
  }
});

const matcher = z.custom<AuthorizationDetailMatcher>((value) => typeof value === 'function', {
  message: 'match must be a function',
});

/**
 * The `transaction` member of a requirement: the access token must carry approved
 * `authorization_details` (RFC 9396) that match what this request does, used once by default.
 */
export const transactionSchema = z
  .strictObject({
    /** What the request does, as the client must request it (each one must be approved). */
    authorizationDetails: z.array(expectedDetailSchema).min(1).max(MAX_AUTHORIZATION_DETAILS),
    /** An extra comparison, after the exact one. */
    match: matcher.optional(),
    /** Single use per (issuer, operation, jti). Default `true`. */
    once: z.boolean().default(true),
    /**
     * This request's idempotency key: a retry with the same key may present the same token again. Any
     * string: it comes from the client, and a length rule here would turn odd input into a 500.
     */
    idempotencyKey: z.string().optional(),
  })
  .refine((v) => v.once || v.idempotencyKey === undefined, {
    message: 'idempotencyKey applies only to single-use approvals (once: true)',
    path: ['idempotencyKey'],
  });

/** A requirement's transaction binding, as written. */
export type TransactionRequirement = z.input<typeof transactionSchema>;
/** A requirement's transaction binding, validated (`once` defaulted). */
export type ResolvedTransaction = z.output<typeof transactionSchema>;
