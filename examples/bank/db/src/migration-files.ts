import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.js';
import type { Migration } from './migrate.js';

const FILE = /^(\d{4})_([a-z0-9]+(?:[_-][a-z0-9]+)*)\.sql$/;

/**
 * The migrations of an app: every `NNNN_name.sql` file of `dir` (`0001_ledger.sql`), in version order,
 * each read whole. Files that do not end in `.sql` are ignored; a `.sql` file named otherwise is an
 * error (a typo must not leave a migration out).
 * @throws DbError `ERR_CONFIG` naming the file.
 *
 * @example
 * const migrations = await readMigrations(new URL('../../migrations/', import.meta.url));
 */
export async function readMigrations(dir: string | URL): Promise<Migration[]> {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const names = (await readdir(path)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of names) {
    const match = FILE.exec(file);
    if (match === null) {
      throw new DbError('ERR_CONFIG', `migration file ${file} is not named NNNN_name.sql`);
    }
    const sql = await readFile(`${path.replace(/\/?$/, '/')}${file}`, 'utf8');
    migrations.push({ version: Number(match[1]), name: file.slice(0, -'.sql'.length), sql });
  }
  return migrations;
}
