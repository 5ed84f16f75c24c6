import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { accountsQuery, type BankReader, historyQuery, payeesQuery } from '../api/queries.js';

/**
 * The customer's accounts, payees and the selected account's history, as TanStack queries. The
 * history is the query of the selected account's own key: what it shows always belongs to the
 * account whose name is above it.
 */
export function useBankData(api: BankReader) {
  const accounts = useQuery(accountsQuery(api));
  const payees = useQuery(payeesQuery(api));
  const [chosen, setChosen] = useState<string>();
  const list = accounts.data ?? [];
  const account = list.find((a) => a.id === chosen) ?? list[0];
  const history = useQuery(historyQuery(api, account?.id));
  return { accounts, payees, account, selected: account?.id, select: setChosen, history };
}
