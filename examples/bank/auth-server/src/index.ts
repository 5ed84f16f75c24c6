export {
  type Db,
  DbError,
  openPglite,
  openPostgres,
  type PostgresOptions,
  type Queryable,
  type QueryResult,
} from '@stepup-example/db';
export { type Logger, silentLogger } from '@stepup-example/observability';
export { DEFAULT_KEY_COOLING_OFF_SECONDS } from './accounts/credential-options.js';
export { reclassifyCredentials } from './accounts/reclassify.js';
export type { Account, StoredCredential } from './accounts/store.js';
export {
  ACR_ELEVATED,
  ACR_HIGH,
  ACR_STANDARD,
  type AuthenticatorClass,
  acrForClass,
  acrSatisfies,
  BANK_ACR_VALUES,
  type BankAcr,
  isBankAcr,
  LEVEL_WORDS,
  requiredAcr,
} from './assurance.js';
export { migrate } from './db/migrate.js';
export { AuthServerError, type AuthServerErrorCode } from './errors.js';
export { API_SCOPES, bankClients } from './oidc/clients.js';
export { type AuthServer, type AuthServerOptions, startAuthServer } from './start-auth-server.js';
export type { Classification, Classifier, RegistrationInfo } from './webauthn/classifier.js';
export {
  CHROME_VIRTUAL_AUTHENTICATOR_AAGUID,
  CHROME_VIRTUAL_AUTHENTICATOR_STATEMENT,
  DEMO_TRUST_MODES,
  type DemoTrust,
} from './webauthn/demo-trust.js';
export { mdsClassifier } from './webauthn/mds-classifier.js';
