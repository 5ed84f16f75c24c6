export {
  type Db,
  DbError,
  type DbErrorCode,
  isDbError,
  openPglite,
  openPostgres,
  type PostgresOptions,
  type Queryable,
  type QueryResult,
} from '@stepup-example/db';
export { type Logger, silentLogger } from '@stepup-example/observability';
export { migrate } from './db/migrate.js';
export {
  BANK_ERROR_STATUS,
  BankApiError,
  type BankErrorBody,
  type BankErrorCode,
  RETRY_AFTER_SECONDS,
} from './errors.js';
export { type BankAppOptions, createBankApp } from './http/app.js';
export { type BankContext, customerOpener } from './http/context.js';
export { MAX_TRANSFER, PayeeBody, TransferBody } from './http/schemas.js';
export {
  type AcknowledgedTransfer,
  auditLedger,
  type LedgerAudit,
  ledgerViolations,
} from './ledger/audit.js';
export { BANK_ACCOUNTS, CURRENCY } from './ledger/bank.js';
export type { Account, Payee, Transaction, Transfer } from './ledger/rows.js';
export { type BankApi, type BankApiOptions, DEFAULT_ISSUER, startBankApi } from './main.js';
export {
  BANK_LEVELS,
  bankPolicy,
  ELEVATED_THRESHOLD,
  HIGH_VALUE_THRESHOLD,
  REPLAY_TABLE,
  STEP_UP_MAX_AGE,
  transferRequirement,
} from './policy.js';
