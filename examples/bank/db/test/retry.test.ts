import { DbError, type DbErrorCode, retryTransient } from '@stepup-example/db';
import { describe, expect, it } from 'vitest';

// Which failures are run again, and how often: no database needed, the failures are made here.
const noWait = async () => {};

function failing(codes: readonly (DbErrorCode | 'sql')[]) {
  let calls = 0;
  const fn = async () => {
    const code = codes[calls++];
    if (code === undefined) return 'done';
    if (code === 'sql') throw Object.assign(new Error('duplicate key'), { code: '23505' });
    throw new DbError(code, 'failed');
  };
  return { fn, calls: () => calls };
}

describe('retryTransient', () => {
  it.each<DbErrorCode>(['ERR_DB_CONFLICT', 'ERR_DB_CONNECTION_LOST'])(
    'runs again after %s (rolled back for certain), idempotent or not',
    async (code) => {
      const run = failing([code, code]);
      await expect(retryTransient(run.fn, { idempotent: false, sleep: noWait })).resolves.toBe('done');
      expect(run.calls()).toBe(3);
    },
  );

  it('runs again after ERR_DB_OUTCOME_UNKNOWN only when the work is idempotent', async () => {
    const read = failing(['ERR_DB_OUTCOME_UNKNOWN']);
    await expect(retryTransient(read.fn, { idempotent: true, sleep: noWait })).resolves.toBe('done');
    expect(read.calls()).toBe(2);
    const write = failing(['ERR_DB_OUTCOME_UNKNOWN']);
    await expect(retryTransient(write.fn, { idempotent: false, sleep: noWait })).rejects.toMatchObject({
      code: 'ERR_DB_OUTCOME_UNKNOWN',
    });
    expect(write.calls()).toBe(1);
  });

  it('does not run again after ERR_DB_UNAVAILABLE (the layer already waited) nor after an SQL error', async () => {
    for (const code of ['ERR_DB_UNAVAILABLE', 'sql'] as const) {
      const run = failing([code]);
      await expect(retryTransient(run.fn, { idempotent: true, sleep: noWait })).rejects.toBeInstanceOf(Error);
      expect(run.calls(), code).toBe(1);
    }
  });

  it('stops after `attempts` runs with the last error, waiting between runs', async () => {
    const run = failing(Array(10).fill('ERR_DB_CONFLICT'));
    const waits: number[] = [];
    const sleep = async (attempt: number) => {
      waits.push(attempt);
    };
    await expect(retryTransient(run.fn, { idempotent: false, attempts: 3, sleep })).rejects.toMatchObject({
      code: 'ERR_DB_CONFLICT',
    });
    expect(run.calls()).toBe(3);
    expect(waits).toEqual([1, 2]);
  });
});
