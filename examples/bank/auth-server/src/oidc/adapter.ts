import type { Db } from '@stepup-example/db';
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import { z } from 'zod';

const Row = z.object({
  payload: z.record(z.string(), z.unknown()),
  expires_at: z.number().nullable(),
  consumed_at: z.number().nullable(),
});

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * `oidc-provider`'s storage interface over one table keyed by (model, id) with a JSON payload.
 * Expired rows are treated as absent (and swept lazily); `consume` records the time in seconds, as the
 * provider expects in `payload.consumed`.
 */
export class DbAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
    private readonly now: () => number,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? this.now() + expiresIn * 1000 : null;
    if (this.model === 'ReplayDetection') return this.recordOnce(id, payload, expiresAt);
    const grantId = GRANTABLE.has(this.model) ? optionalString(payload.grantId) : null;
    await this.db.query(
      `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at,
         consumed_at = NULL`,
      [
        this.model,
        id,
        JSON.stringify(payload),
        grantId,
        optionalString(payload.userCode),
        optionalString(payload.uid),
        expiresAt,
      ],
    );
  }

  /**
   * `ReplayDetection` (the DPoP proofs' `jti`s): oidc-provider looks the id up, then saves it, so two
   * requests with one proof at once would both pass its check. Here the save itself is the check: the
   * row is inserted unless a live one is there (an expired one is replaced), in one statement, and a
   * second saving of a live id is refused as the replay it is (`invalid_grant`, as the provider's own
   * check answers).
   */
  private async recordOnce(id: string, payload: AdapterPayload, expiresAt: number | null): Promise<void> {
    const { rows } = await this.db.query(
      `INSERT INTO oidc_models (model, id, payload, expires_at, consumed_at) VALUES ($1, $2, $3, $4, NULL)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at
         WHERE oidc_models.expires_at IS NOT NULL AND oidc_models.expires_at <= $5
       RETURNING id`,
      [this.model, id, JSON.stringify(payload), expiresAt, this.now()],
    );
    if (rows.length === 0) throw new errors.InvalidGrant('DPoP proof JWT Replay detected');
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findBy('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findBy('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db.query('UPDATE oidc_models SET consumed_at = $3 WHERE model = $1 AND id = $2', [
      this.model,
      id,
      Math.floor(this.now() / 1000),
    ]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]);
  }

  private async findBy(
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const { rows } = await this.db.query(
      `SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = $1 AND ${column} = $2`,
      [this.model, value],
    );
    if (rows[0] === undefined) return undefined;
    const row = Row.parse(rows[0]);
    if (row.expires_at !== null && row.expires_at <= this.now()) {
      await this.db.query('DELETE FROM oidc_models WHERE model = $1 AND expires_at <= $2', [
        this.model,
        this.now(),
      ]);
      return undefined;
    }
    return { ...row.payload, ...(row.consumed_at === null ? {} : { consumed: row.consumed_at }) };
  }
}

/** The `adapter` factory for the provider's configuration. */
export function dbAdapterFactory(db: Db, now: () => number): (model: string) => Adapter {
  return (model) => new DbAdapter(db, model, now);
}
