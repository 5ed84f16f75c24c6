// The API's request schemas are the bank's contract (@stepup-example/contract): the clients validate
// with the same ones, so what a client checks before sending is what the route accepts.
export {
  Amount,
  HistoryQuery,
  IdempotencyKey,
  MAX_TRANSFER,
  PayeeBody,
  TransferBody,
} from '@stepup-example/contract';
