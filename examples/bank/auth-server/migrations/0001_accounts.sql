CREATE TABLE accounts (
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
   );