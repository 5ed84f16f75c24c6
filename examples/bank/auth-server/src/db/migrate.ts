import { z } from 'zod';
import type { Db } from './db.js';

// Append only: a released migration is never edited. Timestamps are epoch milliseconds (bigint).
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE accounts (
     id text PRIMARY KEY,
     user_handle text NOT NULL UNIQUE,
     name text NOT NULL,
     created_at bigint NOT NULL
   );
   CREATE TABLE credentials (
     id text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     public_key text NOT NULL,
     counter bigint NOT NULL,
     transports jsonb NOT NULL,
     backup_eligible boolean NOT NULL,
     backed_up boolean NOT NULL,
     aaguid text NOT NULL,
     fmt text NOT NULL,
     class text NOT NULL,
     reasons jsonb NOT NULL,
     evidence jsonb NOT NULL,
     label text NOT NULL,
     created_at bigint NOT NULL,
     last_used_at bigint
   );
   CREATE INDEX credentials_account ON credentials (account_id);
   CREATE TABLE oidc_models (
     model text NOT NULL,
     id text NOT NULL,
     payload jsonb NOT NULL,
     grant_id text,
     user_code text,
     uid text,
     expires_at bigint,
     consumed_at bigint,
     PRIMARY KEY (model, id)
   );
   CREATE INDEX oidc_models_grant ON oidc_models (grant_id);
   CREATE INDEX oidc_models_uid ON oidc_models (model, uid);
   CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code);
   CREATE TABLE webauthn_challenges (
     id text PRIMARY KEY,
     challenge text NOT NULL,
     purpose text NOT NULL,
     data jsonb NOT NULL,
     expires_at bigint NOT NULL
   );
   CREATE TABLE account_sessions (
     id text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     auth_time bigint NOT NULL,
     acr text NOT NULL,
     expires_at bigint NOT NULL
   );
   CREATE TABLE server_secrets (
     name text PRIMARY KEY,
     value jsonb NOT NULL,
     created_at bigint NOT NULL
   );`,
];

const Version = z.object({ version: z.coerce.number() });

/**
 * Brings the schema up to date. Safe to run from several processes at once: the migrations run in
 * one transaction under an advisory lock, and each version is recorded in `schema_migrations`.
 */
export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)');
    const { rows } = await tx.query('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
    const current = Version.parse(rows[0]).version;
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (version <= current) continue;
      for (const statement of sql.split(';').map((s) => s.trim())) {
        if (statement !== '') await tx.query(statement);
      }
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
  });
}
