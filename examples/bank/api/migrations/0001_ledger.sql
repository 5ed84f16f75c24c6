-- The bank API's ledger. Append only: once released, this file is never edited (its checksum is
-- checked at every start); a change is a new file. Amounts are integer minor units (bigint);
-- timestamps are epoch milliseconds (bigint). A customer account keeps its balance in `balance`
-- (updated under a row lock with every posting, never below zero); the bank's internal accounts keep
-- none (`NULL`): their balance is the sum of their postings, so they never become a row that every
-- payment has to lock.
CREATE TABLE customers (
  sub text PRIMARY KEY,
  created_at bigint NOT NULL
);
CREATE TABLE accounts (
  id text PRIMARY KEY,
  owner text REFERENCES customers(sub),
  internal boolean NOT NULL,
  name text NOT NULL,
  number text NOT NULL UNIQUE,
  currency text NOT NULL,
  balance bigint,
  position integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  CONSTRAINT accounts_owned CHECK (internal OR owner IS NOT NULL),
  CONSTRAINT accounts_no_overdraft CHECK ((internal AND balance IS NULL) OR (NOT internal AND balance >= 0))
);
CREATE INDEX accounts_owner ON accounts (owner);
CREATE TABLE payees (
  id text PRIMARY KEY,
  owner text NOT NULL REFERENCES customers(sub),
  name text NOT NULL,
  account_number text NOT NULL,
  created_at bigint NOT NULL,
  UNIQUE (owner, account_number)
);
CREATE TABLE transfers (
  id text PRIMARY KEY,
  owner text,
  kind text NOT NULL,
  from_account text NOT NULL REFERENCES accounts(id),
  to_account text NOT NULL REFERENCES accounts(id),
  payee_id text REFERENCES payees(id),
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  description text NOT NULL,
  created_at bigint NOT NULL,
  CHECK (from_account <> to_account)
);
CREATE TABLE postings (
  id bigserial PRIMARY KEY,
  transfer_id text NOT NULL REFERENCES transfers(id),
  account_id text NOT NULL REFERENCES accounts(id),
  amount bigint NOT NULL CHECK (amount <> 0),
  balance_after bigint,
  counterparty text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX postings_account ON postings (account_id, created_at DESC, id DESC);
CREATE TABLE idempotency_keys (
  owner text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  transfer_id text REFERENCES transfers(id),
  created_at bigint NOT NULL,
  PRIMARY KEY (owner, key)
);
