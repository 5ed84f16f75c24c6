// The migrations moved from strings in the code to `migrations/NNNN_name.sql`: a database migrated by
// the earlier server keeps its checksums, gets only the new migrations, and the server starts on it.
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { migrate } from '../src/db/migrate.js';
import { migrateAsReleased, RELEASED_MIGRATIONS } from './fixtures/released-migrations.js';
import { databases } from './helpers/db.js';
import { startBank } from './helpers/setup.js';

const applied = async (db: Parameters<typeof migrate>[0]) =>
  (await db.query('SELECT version, checksum FROM schema_migrations ORDER BY version')).rows;

describe.each(databases)('the migrations on $name', (database) => {
  it('accept a database migrated by the earlier server: its checksums match, only the new ones run', async () => {
    const { db, drop } = await database.open();
    try {
      await migrateAsReleased(db);
      await db.query(
        "INSERT INTO accounts (id, user_handle, name, created_at) VALUES ('a-1', 'handle-1', 'Ada', 1)",
      );
      const before = await applied(db);
      expect(before).toHaveLength(RELEASED_MIGRATIONS.length);

      const report = await migrate(db);
      expect(report).toEqual({ applied: ['0004_rate_limits'], adopted: [] });
      const after = await applied(db);
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after).toHaveLength(4);
      expect(await migrate(db)).toEqual({ applied: [], adopted: [] });

      const bank = await startBank(db);
      try {
        const { rows } = await db.query('SELECT name FROM accounts');
        expect(rows).toEqual([{ name: 'Ada' }]);
        expect((await fetch(`${bank.server.url}/health/ready`)).status).toBe(200);
      } finally {
        await bank.close();
      }
    } finally {
      await drop();
    }
  });
});
postgresVariant('the migrations on PostgreSQL');

describe('the migration files', () => {
  it('are the released ones first, then one new file per change', async () => {
    const files = (await readdir(new URL('../migrations/', import.meta.url))).filter((f) =>
      f.endsWith('.sql'),
    );
    expect(files).toEqual([
      '0001_accounts.sql',
      '0002_credential_management.sql',
      '0003_risk_ladder.sql',
      '0004_rate_limits.sql',
    ]);
  });
});
