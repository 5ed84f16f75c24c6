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
export interface ServerSecrets extends z.infer<typeof Secrets> {
  /** The 32-byte key of the DPoP nonces the token endpoint issues (`features.dPoP.nonceSecret`). */
  readonly dpopNonceSecret: Buffer;
}

async function generate(): Promise<z.input<typeof Secrets>> {
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

const SymmetricKey = z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/** A 256-bit key kept in `server_secrets` under `name` (`{ key: <base64url> }`), made on first need. */
async function loadOrCreateKey(db: Db, name: string, now: () => number): Promise<Buffer> {
  const { key } = await loadOrCreateSecret(
    db,
    name,
    SymmetricKey,
    async () => ({ key: randomBytes(32).toString('base64url') }),
    now,
  );
  return Buffer.from(key, 'base64url');
}

/**
 * The token signing keys (ES256) and cookie signing keys, generated on first start and kept in the
 * database so that tokens and sessions survive restarts; and the key of the DPoP nonces (row
 * `dpop_nonce`, made on the first start that needs it, so a database of an earlier release gets one
 * too): every instance sharing the database issues and accepts the same nonces.
 */
export async function loadOrCreateSecrets(db: Db, now: () => number): Promise<ServerSecrets> {
  const provider = await loadOrCreateSecret(db, 'provider', Secrets, generate, now);
  return { ...provider, dpopNonceSecret: await loadOrCreateKey(db, 'dpop_nonce', now) };
}

/**
 * The AES-256 key that seals the customers' TOTP seeds at rest (`server_secrets` row `otp`), made on
 * first start beside the signing keys. Whoever reads the database alone reads no seed; whoever also
 * has this row does, so a real bank keeps it in a KMS or HSM instead.
 */
export function loadOrCreateOtpKey(db: Db, now: () => number): Promise<Buffer> {
  return loadOrCreateKey(db, 'otp', now);
}
