// @stepup-example/contract: what the bank's apps agree on, defined once. The API validates with these
// schemas, the authorization server issues these acr values, the web client reads with the same
// schemas and words, and the iOS client's tests read vectors generated from them (./vectors).
export { ErrorBody, ErrorCode, ErrorDetail } from './api/error-body.js';
export {
  Amount,
  HistoryQuery,
  IdempotencyKey,
  MAX_REFERENCE,
  PayeeBody,
  type PayeeBodyInput,
  TransferBody,
  type TransferBodyInput,
} from './api/requests.js';
export {
  Account,
  AccountList,
  Payee,
  PayeeList,
  Transaction,
  TransactionList,
  Transfer,
} from './api/responses.js';
export {
  ACR_ELEVATED,
  ACR_HIGH,
  ACR_STANDARD,
  acrSatisfies,
  BANK_ACR_VALUES,
  BANK_LEVELS,
  type BankAcr,
  type BankLevel,
  type BankLevelName,
  isBankAcr,
  LEVEL_WORDS,
  levelNamed,
  levelOfAcr,
  requiredAcr,
} from './levels.js';
export {
  DecimalAmount,
  decimalAmount,
  minorUnits,
  PAYMENT_INITIATION,
  PaymentApproval,
  PaymentInitiation,
  paymentDetail,
} from './payment.js';
export {
  ELEVATED_THRESHOLD,
  HIGH_VALUE_THRESHOLD,
  isNewPayee,
  type LevelNeed,
  MAX_TRANSFER,
  NEW_PAYEE_SECONDS,
  payeeNeeds,
  STEP_UP_MAX_AGE,
  type TransferNeed,
  transferNeeds,
} from './policy.js';
export { API_SCOPES, DPOP_ALGORITHMS, type DpopAlgorithm } from './sender-constraint.js';
export { WebConfig } from './web-config.js';
