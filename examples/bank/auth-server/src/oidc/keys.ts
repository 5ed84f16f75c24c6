import { randomBytes } from 'node:crypto';
import type { Db } from '@stepup-example/db';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';

const PrivateEcJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  d: z.string(),
  kid: z.string(),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});
/** An ES256 private signing key as a JWK, with `kid`, `alg` and `use`. */
export type SigningJwk = z.infer<typeof PrivateEcJwk>;

const Secrets = z.object({
  jwks: z.array(PrivateEcJwk).min(1),
  cookieKeys: z.array(z.string().min(32)).min(1),
});
/** The provider's persistent secrets. */
export type ServerSecrets = z.infer<typeof Secrets>;

async function generate(): Promise<ServerSecrets> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    jwks: [PrivateEcJwk.parse({ ...jwk, kid, alg: 'ES256', use: 'sig' })],
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/**
 * A secret kept in `server_secrets` under `name`: read it, or store `generate()`'s value when there is
 * none. When two processes start at once, the first insert wins and both use its value.
 */
export async function loadOrCreateSecret<S extends z.ZodType>(
  db: Db,
  name: string,
  schema: S,
  generate: () => Promise<z.input<S>>,
  now: () => number,
): Promise<z.output<S>> {
  const read = async () => {
    const { rows } = await db.query('SELECT value FROM server_secrets WHERE name = $1', [name]);
    return rows[0] === undefined
      ? undefined
      : schema.parse(z.object({ value: z.unknown() }).parse(rows[0]).value);
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  await db.query(
    'INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
    [name, JSON.stringify(await generate()), now()],
  );
  const created = await read();
  if (created === undefined) throw new Error(`server secret ${name} could not be stored`);
  return created;
}

/**
 * The token signing keys (ES256) and cookie signing keys, generated on first start and kept in the
 * database so that tokens and sessions survive restarts.
 */
export function loadOrCreateSecrets(db: Db, now: () => number): Promise<ServerSecrets> {
  return loadOrCreateSecret(db, 'provider', Secrets, generate, now);
}

const OtpKey = z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * The AES-256 key that seals the customers' TOTP seeds at rest (`server_secrets` row `otp`), made on
 * first start beside the signing keys. Whoever reads the database alone reads no seed; whoever also
 * has this row does, so a real bank keeps it in a KMS or HSM instead.
 */
export async function loadOrCreateOtpKey(db: Db, now: () => number): Promise<Buffer> {
  const { key } = await loadOrCreateSecret(
    db,
    'otp',
    OtpKey,
    async () => ({ key: randomBytes(32).toString('base64url') }),
    now,
  );
  return Buffer.from(key, 'base64url');
}
