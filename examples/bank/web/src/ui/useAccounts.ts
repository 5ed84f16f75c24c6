import { useCallback, useState } from 'react';
import type { BankApi } from '../api/client.js';
import type { Account, Payee, Transaction } from '../api/types.js';

/** The customer's accounts, payees and the selected account's history. */
export function useAccounts(api: BankApi) {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [payees, setPayees] = useState<Payee[]>([]);
  const [selected, setSelected] = useState<string>();
  const [transactions, setTransactions] = useState<Transaction[]>([]);

  /** Reloads everything, showing `accountId` (or the first account). */
  const load = useCallback(
    async (accountId?: string) => {
      const [list, payeeList] = await Promise.all([api.accounts(), api.payees()]);
      setAccounts(list);
      setPayees(payeeList);
      const current = accountId ?? list[0]?.id;
      setSelected(current);
      setTransactions(current === undefined ? [] : await api.transactions(current));
    },
    [api],
  );

  const select = useCallback(
    (id: string) => {
      setSelected(id);
      api.transactions(id).then(setTransactions, () => setTransactions([]));
    },
    [api],
  );

  return { accounts, payees, selected, transactions, load, select };
}
