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
 * The token signing keys (ES256) and cookie signing keys, generated on first start and kept in the
 * database so that tokens and sessions survive restarts. When two processes start at once, the first
 * insert wins and both use its keys.
 */
export async function loadOrCreateSecrets(db: Db, now: () => number): Promise<ServerSecrets> {
  const read = async () => {
    const { rows } = await db.query('SELECT value FROM server_secrets WHERE name = $1', ['provider']);
    return rows[0] === undefined
      ? undefined
      : Secrets.parse(z.object({ value: z.unknown() }).parse(rows[0]).value);
  };
  const existing = await read();
  if (existing) return existing;
  await db.query(
    'INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
    ['provider', JSON.stringify(await generate()), now()],
  );
  const created = await read();
  if (!created) throw new Error('server secrets could not be stored');
  return created;
}
