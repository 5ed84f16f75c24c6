import type { Account, Payee, Transaction, Transfer } from '@stepup-example/contract';
import {
  MutationCache,
  QueryCache,
  QueryClient,
  queryOptions,
  skipToken,
  type UseMutationOptions,
} from '@tanstack/react-query';
import type { PayeeAction, TransferAction } from '../actions.js';
import type { BankApi } from './client.js';
import { ApiError, SignInRequired, Unreachable } from './errors.js';

/**
 * The API calls the screens read through TanStack Query. Each query is cached under a key that names
 * what it holds (the account's id for its history), so an answer can only ever be shown for the key
 * it was asked for: switching accounts quickly shows the second account's history or a loading state,
 * never the first account's late answer.
 */
export type BankReader = Pick<BankApi, 'accounts' | 'transactions' | 'payees'>;

/** Query keys, shared by the queries and the invalidations after a change. */
export const bankKeys = {
  accounts: ['accounts'] as const,
  payees: ['payees'] as const,
  transactions: (accountId: string) => ['transactions', accountId] as const,
  allTransactions: ['transactions'] as const,
};

/** `GET /accounts`. */
export function accountsQuery(api: BankReader) {
  return queryOptions<Account[]>({ queryKey: bankKeys.accounts, queryFn: () => api.accounts() });
}

/** `GET /payees`. */
export function payeesQuery(api: BankReader) {
  return queryOptions<Payee[]>({ queryKey: bankKeys.payees, queryFn: () => api.payees() });
}

/** `GET /accounts/{id}/transactions`; nothing is fetched while no account is selected. */
export function historyQuery(api: BankReader, accountId: string | undefined) {
  return queryOptions<Transaction[]>({
    queryKey: accountId === undefined ? ['transactions', null] : bankKeys.transactions(accountId),
    queryFn: accountId === undefined ? skipToken : () => api.transactions(accountId),
  });
}

/**
 * `POST /transfers` with the action's Idempotency-Key. Never retried by TanStack Query itself: the
 * step-up flow decides when the same key is sent again. Afterwards the balances and both accounts'
 * histories are read again.
 */
export function transferMutation(
  api: Pick<BankApi, 'transfer'>,
  client: QueryClient,
): UseMutationOptions<Transfer, Error, TransferAction> {
  return {
    mutationKey: ['transfer'],
    mutationFn: (action) => api.transfer(action.request, action.key),
    retry: false,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: bankKeys.accounts }),
        client.invalidateQueries({ queryKey: bankKeys.allTransactions }),
      ]);
    },
  };
}

/** `POST /payees`; afterwards the payee list is read again. */
export function payeeMutation(
  api: Pick<BankApi, 'addPayee'>,
  client: QueryClient,
): UseMutationOptions<Payee, Error, PayeeAction> {
  return {
    mutationKey: ['payee'],
    mutationFn: (action) => api.addPayee(action.request),
    retry: false,
    onSuccess: () => client.invalidateQueries({ queryKey: bankKeys.payees }),
  };
}

/** Worth asking again: no answer, or the bank's own trouble. Never a refusal, a step-up or a sign-in. */
function transient(error: unknown): boolean {
  return error instanceof Unreachable || (error instanceof ApiError && error.status >= 500);
}

/**
 * The query client of one signed-in session: reads retried twice on transient failures only, and
 * `onSignInRequired` called when any call finds the session over.
 */
export function createBankQueryClient(options: { onSignInRequired: () => void }): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof SignInRequired) options.onSignInRequired();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: (failures, error) => failures < 2 && transient(error), staleTime: 15_000 },
    },
  });
}
