// The web client's query layer (TanStack Query), driven the way `useQuery` and `useMutation` drive it
// (QueryObserver, MutationObserver), against a fake API whose answers arrive when the test says.
import type { Account, Transaction, Transfer } from '@stepup-example/contract';
import { MutationObserver, QueryObserver, type QueryObserverResult } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransferAction } from '../src/actions.js';
import { ApiError, SignInRequired, Unreachable } from '../src/api/errors.js';
import {
  accountsQuery,
  type BankReader,
  createBankQueryClient,
  historyQuery,
  transferMutation,
} from '../src/api/queries.js';

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const line = (id: string, counterparty: string): Transaction => ({
  id,
  transferId: `trf_${id}`,
  amount: -100,
  balanceAfter: 1_000,
  counterparty,
  description: '',
  createdAt: '2026-01-15T09:00:00.000Z',
});

const account = (id: string): Account => ({ id, name: id, number: id, currency: 'EUR', balance: 1_000 });

/** A fake API: each call waits for the test to answer it. */
function fakeApi() {
  const calls: { what: string; answer: ReturnType<typeof deferred<never>> }[] = [];
  const call = <T>(what: string): Promise<T> => {
    const answer = deferred<never>();
    calls.push({ what, answer });
    return answer.promise;
  };
  const reader: BankReader = {
    accounts: () => call('accounts'),
    payees: () => call('payees'),
    transactions: (id) => call(`transactions:${id}`),
  };
  const answer = (what: string, value: unknown) => {
    const found = calls.find((c) => c.what === what);
    if (found === undefined) throw new Error(`no call ${what}`);
    calls.splice(calls.indexOf(found), 1);
    (found.answer.resolve as (v: unknown) => void)(value);
  };
  return { reader, calls, answer };
}

/** Lets settled promises and TanStack's batched notifications run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('the history query', () => {
  it('never shows an account’s late answer after switching to another account', async () => {
    const api = fakeApi();
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const observer = new QueryObserver(client, historyQuery(api.reader, 'acc_a'));
    const shown: QueryObserverResult<Transaction[]>[] = [];
    const stop = observer.subscribe((result) => shown.push(result));
    expect(api.calls.map((c) => c.what)).toEqual(['transactions:acc_a']);

    // The customer switches to B before A's answer is back; B answers first, A last.
    observer.setOptions(historyQuery(api.reader, 'acc_b'));
    const switched = shown.length;
    api.answer('transactions:acc_b', [line('2', 'from B')]);
    await settle();
    api.answer('transactions:acc_a', [line('1', 'from A')]);
    await settle();

    expect(observer.getCurrentResult().data).toEqual([line('2', 'from B')]);
    const afterSwitch = shown.slice(switched).map((r) => r.data);
    expect(afterSwitch.every((data) => data === undefined || data[0]?.counterparty === 'from B')).toBe(true);
    expect(afterSwitch.at(-1)).toEqual([line('2', 'from B')]);

    // A's answer is kept for A: going back shows it, and only there.
    observer.setOptions(historyQuery(api.reader, 'acc_a'));
    expect(observer.getCurrentResult().data).toEqual([line('1', 'from A')]);
    stop();
  });

  it('while the new account loads, shows nothing rather than the previous account’s lines', async () => {
    const api = fakeApi();
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const observer = new QueryObserver(client, historyQuery(api.reader, 'acc_a'));
    const stop = observer.subscribe(() => {});
    api.answer('transactions:acc_a', [line('1', 'from A')]);
    await settle();
    expect(observer.getCurrentResult().data).toEqual([line('1', 'from A')]);

    observer.setOptions(historyQuery(api.reader, 'acc_b'));
    expect(observer.getCurrentResult()).toMatchObject({ data: undefined, isPending: true });
    stop();
  });

  it('fetches nothing while no account is selected', () => {
    const api = fakeApi();
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const stop = new QueryObserver(client, historyQuery(api.reader, undefined)).subscribe(() => {});
    expect(api.calls).toEqual([]);
    stop();
  });
});

describe('the query client', () => {
  it('ends the session when a read finds it over, without retrying', async () => {
    const ended = vi.fn();
    const client = createBankQueryClient({ onSignInRequired: ended });
    const accounts = vi.fn(async (): Promise<Account[]> => {
      throw new SignInRequired('Your session has ended.');
    });
    const reader: BankReader = { accounts, payees: async () => [], transactions: async () => [] };
    const observer = new QueryObserver(client, accountsQuery(reader));
    const stop = observer.subscribe(() => {});
    await vi.waitFor(() => expect(observer.getCurrentResult().isError).toBe(true));
    expect(ended).toHaveBeenCalledTimes(1);
    expect(accounts).toHaveBeenCalledTimes(1);
    stop();
  });

  it('retries a read twice when the bank is unreachable or failing, never on a refusal', async () => {
    vi.useFakeTimers();
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const failing = (error: Error) => vi.fn(async (): Promise<Account[]> => Promise.reject(error));
    const unreachable = failing(new Unreachable(new TypeError('fetch failed')));
    const refused = failing(new ApiError(404, 'ERR_ACCOUNT_NOT_FOUND', 'No such account.'));
    for (const [accounts, calls] of [
      [unreachable, 3],
      [refused, 1],
    ] as const) {
      client.clear();
      const reader: BankReader = { accounts, payees: async () => [], transactions: async () => [] };
      const observer = new QueryObserver(client, accountsQuery(reader));
      const stop = observer.subscribe(() => {});
      await vi.advanceTimersByTimeAsync(60_000);
      expect(observer.getCurrentResult().isError).toBe(true);
      expect(accounts).toHaveBeenCalledTimes(calls);
      stop();
    }
  });
});

describe('the transfer mutation', () => {
  const action: TransferAction = {
    kind: 'transfer',
    key: 'key-1',
    request: { fromAccountId: 'acc_a', toAccountId: 'acc_b', amount: 150, description: '' },
    currency: 'EUR',
    toName: 'B',
  };
  const transfer: Transfer = {
    id: 'trf_1',
    status: 'completed',
    fromAccountId: 'acc_a',
    toAccountId: 'acc_b',
    toPayeeId: null,
    amount: 150,
    currency: 'EUR',
    description: '',
    createdAt: '2026-01-15T09:00:00.000Z',
  };

  it('sends the action’s idempotency key, once, then reads the balances and histories again', async () => {
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const send = vi.fn(async () => transfer);
    const accounts = vi.fn(async () => [account('acc_a'), account('acc_b')]);
    const transactions = vi.fn(async () => [] as Transaction[]);
    const reader: BankReader = { accounts, payees: async () => [], transactions };
    const stops = [
      new QueryObserver(client, accountsQuery(reader)).subscribe(() => {}),
      new QueryObserver(client, historyQuery(reader, 'acc_a')).subscribe(() => {}),
    ];
    await vi.waitFor(() => expect(transactions).toHaveBeenCalledTimes(1));

    const mutation = new MutationObserver(client, transferMutation({ transfer: send }, client));
    await expect(mutation.mutate(action)).resolves.toEqual(transfer);
    expect(send.mock.calls).toEqual([[action.request, 'key-1']]);
    await vi.waitFor(() => expect(accounts).toHaveBeenCalledTimes(2));
    expect(transactions).toHaveBeenCalledTimes(2);
    for (const stop of stops) stop();
  });

  it('is never retried by the query layer itself', async () => {
    const client = createBankQueryClient({ onSignInRequired: () => {} });
    const send = vi.fn(async (): Promise<Transfer> => {
      throw new Unreachable(new TypeError('fetch failed'));
    });
    const mutation = new MutationObserver(client, transferMutation({ transfer: send }, client));
    await expect(mutation.mutate(action)).rejects.toBeInstanceOf(Unreachable);
    expect(send).toHaveBeenCalledTimes(1);
  });
});
