import { type Db, runMigrations } from '@stepup-example/db';

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
  // Credential management as a step-up operation: when a credential may be used at the high level
  // (a key added from a session below high waits out a cooling-off period), the last re-classification
  // shown to the customer, the credential behind each settings session, and an audit trail.
  `ALTER TABLE credentials ADD COLUMN active_at bigint NOT NULL DEFAULT 0;
   ALTER TABLE credentials ADD COLUMN added_by_acr text;
   ALTER TABLE credentials ADD COLUMN previous_class text;
   ALTER TABLE credentials ADD COLUMN reclassified_at bigint;
   ALTER TABLE account_sessions ADD COLUMN credential_id text;
   CREATE TABLE credential_events (
     id text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     credential_id text NOT NULL,
     kind text NOT NULL,
     label text NOT NULL,
     detail jsonb NOT NULL,
     at bigint NOT NULL
   );
   CREATE INDEX credential_events_account ON credential_events (account_id, at);`,
  // The risk ladder: the customers' authenticator apps (TOTP seeds sealed with the server's key, the
  // last time step used, so a code is good once), what each authorization interaction has proven so
  // far (a passkey, then a code), and the authenticator app behind a settings session at the elevated
  // level.
  `CREATE TABLE otp_factors (
     id text PRIMARY KEY,
     account_id text NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE,
     secret text NOT NULL,
     label text NOT NULL,
     created_at bigint NOT NULL,
     active_at bigint NOT NULL,
     added_by_acr text NOT NULL,
     last_step bigint NOT NULL DEFAULT -1,
     last_used_at bigint
   );
   CREATE TABLE interaction_factors (
     uid text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     passkey jsonb,
     code boolean NOT NULL,
     expires_at bigint NOT NULL
   );
   ALTER TABLE account_sessions ADD COLUMN otp_factor_id text;`,
  // Shared rate limits (`rate-limiter-flexible`'s RateLimiterPostgres table: key, points, expire in epoch
  // ms): every instance of the server on this database counts sign-in attempts and wrong codes here.
  `CREATE TABLE rate_limits (
     key varchar(255) PRIMARY KEY,
     points integer NOT NULL DEFAULT 0,
     expire bigint
   );`,
];

/**
 * Brings the authorization server's schema up to date with {@link runMigrations} (each migration whole in a
 * transaction of its own under the server's advisory lock; versions and checksums in `schema_migrations`).
 */
export async function migrate(db: Db): Promise<void> {
  await runMigrations(db, {
    migrations: MIGRATIONS.map((sql, i) => ({
      version: i + 1,
      name: `${String(i + 1).padStart(4, '0')}_auth`,
      sql,
    })),
    lockId: 727274,
  });
}
