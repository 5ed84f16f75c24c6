#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster and creates the stepup role and database (idempotent).
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q online; then
  pg_lsclusters -h | grep -q . || pg_createcluster "$ver" main
  pg_ctlcluster "$ver" main start
fi
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stepup') THEN
    CREATE ROLE stepup LOGIN PASSWORD 'stepup' CREATEDB;
  END IF;
END $$;
SQL
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='stepup'\"" | grep -q 1 \
  || su postgres -c "createdb -O stepup stepup"
echo "PostgreSQL ready: DATABASE_URL=postgres://stepup:stepup@127.0.0.1:5432/stepup"
