CREATE TABLE otp_factors (
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
   ALTER TABLE account_sessions ADD COLUMN otp_factor_id text;