import { z } from 'zod';
import { ASYMMETRIC_ALGORITHMS, isLoopback } from '../schema.js';
import type { ReplayStore } from '../stores/replay-store.js';

/** The proof algorithms accepted by default: those FAPI 2.0 allows (EdDSA also by its RFC 9864 name). */
export const DEFAULT_DPOP_ALGORITHMS = ['ES256', 'PS256', 'EdDSA', 'Ed25519'] as const;

/** A public origin (`https://api.example`, or `http://localhost:3000`), nothing after the authority. */
const origin = z
  .string()
  .regex(/^[\x21-\x7e]+$/, 'must be a URL without spaces or control characters')
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopback(url.hostname));
    if (url === undefined || !secure || url.origin === 'null') {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an https origin (http is allowed only for localhost)',
      });
      return z.NEVER;
    }
    if (
      url.username !== '' ||
      url.password !== '' ||
      !['', '/'].includes(`${url.pathname}${url.search}${url.hash}`)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an origin only: scheme, host and port, no path, query or credentials',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const replayStore = z.custom<ReplayStore>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as ReplayStore).consume === 'function',
  { message: 'must be a ReplayStore (an object with consume(key, expiresAt))' },
);

/** A nonce secret: at least 32 bytes, given as a string (its UTF-8 bytes) or bytes. */
const secret = z
  .union([z.string(), z.instanceof(Uint8Array)])
  .refine((value) => (typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength) >= 32, {
    message: 'must be at least 32 bytes',
  });

/** Options of DPoP at the resource server (RFC 9449 §7), the `dpop` group of `createStepUp`. */
export const dpopSchema = z.strictObject({
  /**
   * The public origin clients call (`https://api.bank.example`): the expected `htu` is this origin and
   * the request's path. Never taken from `Host` or `X-Forwarded-*`, which the client controls.
   */
  origin,
  /** Proof algorithms accepted, asymmetric only (also `algs` in the `DPoP` challenge). */
  algorithms: z
    .array(
      z.enum(ASYMMETRIC_ALGORITHMS, { message: 'must be an asymmetric JWS algorithm (never none or HS*)' }),
    )
    .min(1)
    .default([...DEFAULT_DPOP_ALGORITHMS]),
  /** Refuse the Bearer scheme altogether: every token must be DPoP-bound. */
  required: z.boolean().default(false),
  /** Seconds a proof is accepted after its `iat` (the clock tolerance is added for `iat` in the future). */
  proofMaxAge: z.number().int().min(1).max(3600).default(300),
  /** Where proof `jti`s are remembered; default an in-memory store (one instance only: see README). */
  replayStore: replayStore.optional(),
  /** Server-provided nonces (RFC 9449 §9), stateless: an HMAC of the time window under `secret`. */
  nonce: z
    .strictObject({
      secret,
      /** Seconds per window; a nonce is accepted in its window and the next one. */
      lifetime: z.number().int().min(10).max(3600).default(300),
    })
    .optional(),
});

export type DpopOptions = z.input<typeof dpopSchema>;
export type ResolvedDpopOptions = z.output<typeof dpopSchema>;
