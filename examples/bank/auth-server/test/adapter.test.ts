// The provider's storage interface on both databases: one table keyed by (model, id).

import type { Db } from '@stepup-example/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { migrate } from '../src/db/migrate.js';
import { DbAdapter } from '../src/oidc/adapter.js';
import { databases } from './helpers/db.js';

describe.each(databases)('DbAdapter on $name', (database) => {
  let db: Db;
  let drop: () => Promise<void>;
  let now = 1_750_000_000_000;
  const clock = () => now;

  beforeAll(async () => {
    const opened = await database.open();
    db = opened.db;
    drop = opened.drop;
    await migrate(db);
    await migrate(db); // idempotent
  });
  afterAll(async () => {
    await drop?.();
  });

  it('stores, finds, consumes and expires a payload', async () => {
    const codes = new DbAdapter(db, 'AuthorizationCode', clock);
    await codes.upsert('c1', { grantId: 'g1', accountId: 'a', kind: 'AuthorizationCode' }, 60);
    expect(await codes.find('c1')).toEqual({ grantId: 'g1', accountId: 'a', kind: 'AuthorizationCode' });
    expect(await new DbAdapter(db, 'AccessToken', clock).find('c1')).toBeUndefined();
    now += 1000;
    await codes.consume('c1');
    expect(await codes.find('c1')).toMatchObject({ consumed: Math.floor(now / 1000) });
    now += 60_000;
    expect(await codes.find('c1')).toBeUndefined();
  });

  it('finds sessions by uid and device codes by user code; upsert replaces', async () => {
    const sessions = new DbAdapter(db, 'Session', clock);
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 3600);
    await sessions.upsert('s1', { uid: 'u1', accountId: 'b' }, 3600);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'b' });
    const devices = new DbAdapter(db, 'DeviceCode', clock);
    await devices.upsert('d1', { userCode: 'ABCD-EFGH' });
    expect(await devices.findByUserCode('ABCD-EFGH')).toEqual({ userCode: 'ABCD-EFGH' });
    await sessions.destroy('s1');
    expect(await sessions.findByUid('u1')).toBeUndefined();
  });

  it('revokes every token of a grant', async () => {
    const access = new DbAdapter(db, 'AccessToken', clock);
    const refresh = new DbAdapter(db, 'RefreshToken', clock);
    await access.upsert('at1', { grantId: 'g2' }, 600);
    await refresh.upsert('rt1', { grantId: 'g2' }, 600);
    await refresh.upsert('rt2', { grantId: 'g3' }, 600);
    await access.revokeByGrantId('g2');
    expect(await access.find('at1')).toBeUndefined();
    expect(await refresh.find('rt1')).toBeUndefined();
    expect(await refresh.find('rt2')).toEqual({ grantId: 'g3' });
  });

  it('records a DPoP proof jti once: a second saving while it lives is a replay, even at the same time', async () => {
    const replays = new DbAdapter(db, 'ReplayDetection', clock);
    const saves = await Promise.allSettled([
      replays.upsert('j1', { jti: 'j1', iss: 'bank-web' }, 60),
      replays.upsert('j1', { jti: 'j1', iss: 'bank-web' }, 60),
    ]);
    expect(saves.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = saves.find((s) => s.status === 'rejected');
    expect(refused?.reason).toMatchObject({ error: 'invalid_grant', statusCode: 400 });
    expect(await replays.find('j1')).toEqual({ jti: 'j1', iss: 'bank-web' });
    // Once expired, the id may be recorded again (the provider's own window has long passed then).
    now += 61_000;
    await expect(replays.upsert('j1', { jti: 'j1', iss: 'bank-web' }, 60)).resolves.toBeUndefined();
    await expect(replays.upsert('j1', { jti: 'j1', iss: 'bank-web' }, 60)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

postgresVariant('DbAdapter on PostgreSQL');
