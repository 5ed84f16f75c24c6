-- One-time use of transfer approvals (RFC 9396 authorization_details): @stepup/core's PostgreSQL
-- replay store records each approving token's use, keyed by (issuer, operation, jti), until the token
-- expires, with the transfer's Idempotency-Key as fingerprint (an idempotent retry passes again). The
-- store's own DDL (`createPostgresReplayStore(...).sql`), kept here so that it is versioned and checked
-- with the rest of the schema; a test holds the two together.
CREATE TABLE IF NOT EXISTS "stepup_replay" (key text PRIMARY KEY, expires_at bigint NOT NULL, fingerprint text);
CREATE INDEX IF NOT EXISTS "stepup_replay_expires_at" ON "stepup_replay" (expires_at);
