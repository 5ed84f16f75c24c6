ALTER TABLE credentials ADD COLUMN active_at bigint NOT NULL DEFAULT 0;
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
   CREATE INDEX credential_events_account ON credential_events (account_id, at);