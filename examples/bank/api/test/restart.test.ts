import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@stepup-example/api';
import { afterAll, describe, expect, it } from 'vitest';
import { accountsOf, startTestBank } from './helpers/bank.js';

describe('the embedded database on disk', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // Two PGlite openings on disk (the first creates the data directory): slow on a busy machine.
  it('keeps customers, balances and idempotency keys across a restart', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bank-api-'));
    dirs.push(dir);
    const dataDir = join(dir, 'nested', 'api'); // created when missing
    const body = { amount: 12_345, description: 'Before the restart' };

    const first = await openPglite(dataDir);
    const bank = await startTestBank(first);
    const { everyday, savings } = await accountsOf(bank, 'rita');
    const sent = await bank.call('/transfers', {
      authorization: await bank.standard('rita'),
      body: { ...body, fromAccountId: savings.id, toAccountId: everyday.id },
      headers: { 'idempotency-key': 'rita-1' },
    });
    expect(sent.status).toBe(201);
    await bank.close();
    await first.close();

    const second = await openPglite(dataDir);
    const again = await startTestBank(second);
    try {
      const after = await accountsOf(again, 'rita');
      expect(after.savings).toMatchObject({ id: savings.id, balance: 1_200_000 - 12_345 });
      const replay = await again.call('/transfers', {
        authorization: await again.standard('rita'),
        body: { ...body, fromAccountId: savings.id, toAccountId: everyday.id },
        headers: { 'idempotency-key': 'rita-1' },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await accountsOf(again, 'rita')).savings.balance).toBe(1_200_000 - 12_345);
    } finally {
      await again.close();
      await second.close();
    }
  });
});
