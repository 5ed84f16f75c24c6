import type { Queryable } from '@stepup-example/db';
import { z } from 'zod';
import type { AuthenticatorClass } from '../assurance.js';

const AccountRow = z.object({
  id: z.string(),
  user_handle: z.string(),
  name: z.string(),
  created_at: z.number(),
});

/** A bank customer. `id` is the OIDC `sub`; `userHandle` is the WebAuthn user.id (base64url). */
export interface Account {
  id: string;
  userHandle: string;
  name: string;
  createdAt: number;
}

const CLASSES = ['rejected', 'low', 'medium', 'high'] as const;

const CredentialRow = z.object({
  id: z.string(),
  account_id: z.string(),
  public_key: z.string(),
  counter: z.number(),
  transports: z.array(z.string()),
  backup_eligible: z.boolean(),
  backed_up: z.boolean(),
  aaguid: z.string(),
  fmt: z.string(),
  class: z.enum(CLASSES),
  reasons: z.array(z.string()),
  evidence: z.unknown(),
  label: z.string(),
  created_at: z.number(),
  last_used_at: z.number().nullable(),
  active_at: z.number(),
  added_by_acr: z.string().nullable(),
  previous_class: z.enum(CLASSES).nullable(),
  reclassified_at: z.number().nullable(),
});

/** A stored WebAuthn credential with its assurance class and the evidence behind it. */
export interface StoredCredential {
  id: string;
  accountId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
  aaguid: string;
  fmt: string;
  class: AuthenticatorClass;
  reasons: string[];
  evidence: unknown;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  /**
   * From when the credential may be used at the high level (epoch ms). Before that it is *pending*:
   * usable at the standard level only. A credential added from a session below the high level waits
   * out the bank's cooling-off period; one added at account opening or from a high session does not.
   */
  activeAt: number;
  /** The level of the settings session that added it; `null` for the credential the account was opened with. */
  addedByAcr: string | null;
  /** The class before the last re-classification that changed it, and when that happened. */
  previousClass: AuthenticatorClass | null;
  reclassifiedAt: number | null;
}

function toAccount(row: unknown): Account {
  const r = AccountRow.parse(row);
  return { id: r.id, userHandle: r.user_handle, name: r.name, createdAt: r.created_at };
}

function toCredential(row: unknown): StoredCredential {
  const r = CredentialRow.parse(row);
  return {
    id: r.id,
    accountId: r.account_id,
    publicKey: r.public_key,
    counter: r.counter,
    transports: r.transports,
    backupEligible: r.backup_eligible,
    backedUp: r.backed_up,
    aaguid: r.aaguid,
    fmt: r.fmt,
    class: r.class,
    reasons: r.reasons,
    evidence: r.evidence,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    activeAt: r.active_at,
    addedByAcr: r.added_by_acr,
    previousClass: r.previous_class,
    reclassifiedAt: r.reclassified_at,
  };
}

/** Accounts and their credentials. Every method takes the database or an open transaction. */
export const accounts = {
  async insert(db: Queryable, account: Account): Promise<void> {
    await db.query('INSERT INTO accounts (id, user_handle, name, created_at) VALUES ($1, $2, $3, $4)', [
      account.id,
      account.userHandle,
      account.name,
      account.createdAt,
    ]);
  },

  async byId(db: Queryable, id: string): Promise<Account | undefined> {
    const { rows } = await db.query('SELECT * FROM accounts WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : toAccount(rows[0]);
  },

  /**
   * Locks the account's row until the transaction ends, so that two changes to its credentials (two
   * removals, an addition and a removal) are decided one after the other, each on what the other left.
   */
  async lock(db: Queryable, id: string): Promise<void> {
    await db.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [id]);
  },

  async insertCredential(db: Queryable, c: Omit<StoredCredential, 'previousClass' | 'reclassifiedAt'>) {
    await db.query(
      `INSERT INTO credentials (id, account_id, public_key, counter, transports, backup_eligible, backed_up,
         aaguid, fmt, class, reasons, evidence, label, created_at, last_used_at, active_at, added_by_acr)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        c.id,
        c.accountId,
        c.publicKey,
        c.counter,
        JSON.stringify(c.transports),
        c.backupEligible,
        c.backedUp,
        c.aaguid,
        c.fmt,
        c.class,
        JSON.stringify(c.reasons),
        JSON.stringify(c.evidence ?? null),
        c.label,
        c.createdAt,
        c.lastUsedAt,
        c.activeAt,
        c.addedByAcr,
      ],
    );
  },

  async credential(db: Queryable, id: string): Promise<StoredCredential | undefined> {
    const { rows } = await db.query('SELECT * FROM credentials WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : toCredential(rows[0]);
  },

  async credentialsOf(db: Queryable, accountId: string): Promise<StoredCredential[]> {
    const { rows } = await db.query(
      'SELECT * FROM credentials WHERE account_id = $1 ORDER BY created_at, id',
      [accountId],
    );
    return rows.map(toCredential);
  },

  async allCredentials(db: Queryable): Promise<StoredCredential[]> {
    const { rows } = await db.query('SELECT * FROM credentials ORDER BY created_at, id');
    return rows.map(toCredential);
  },

  /** Records a successful use; only moves the counter forward (a concurrent use cannot roll it back). */
  async recordUse(db: Queryable, id: string, counter: number, backedUp: boolean, at: number): Promise<void> {
    await db.query(
      'UPDATE credentials SET counter = GREATEST(counter, $2), backed_up = $3, last_used_at = $4 WHERE id = $1',
      [id, counter, backedUp, at],
    );
  },

  /**
   * Stores a new classification. With `at`, the class changed: the old one is kept as `previous_class`
   * (shown to the customer); without, only the reasons and evidence are brought up to date.
   */
  async reclassify(
    db: Queryable,
    id: string,
    update: { class: AuthenticatorClass; reasons: string[]; evidence: unknown; at?: number },
  ) {
    await db.query(
      `UPDATE credentials SET
         previous_class = CASE WHEN $5::bigint IS NULL THEN previous_class ELSE class END,
         reclassified_at = COALESCE($5::bigint, reclassified_at),
         class = $2, reasons = $3, evidence = $4
       WHERE id = $1`,
      [
        id,
        update.class,
        JSON.stringify(update.reasons),
        JSON.stringify(update.evidence ?? null),
        update.at ?? null,
      ],
    );
  },

  async deleteCredential(db: Queryable, accountId: string, id: string): Promise<boolean> {
    const { count } = await db.query('DELETE FROM credentials WHERE id = $1 AND account_id = $2', [
      id,
      accountId,
    ]);
    return count > 0;
  },
};
