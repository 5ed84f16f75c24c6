import type { Account, Transaction } from '@stepup-example/contract';
import type { UseQueryResult } from '@tanstack/react-query';
import { useMoney } from './money.js';

/** "Loading…", or what failed with a way to ask again: the card says what is really there. */
function QueryState(props: { query: UseQueryResult<unknown>; what: string }) {
  const { query } = props;
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        Loading {props.what}…
      </p>
    );
  }
  if (query.isError) {
    return (
      <p className="field-error" role="alert">
        Your {props.what} could not be loaded.{' '}
        <button type="button" className="button small ghost" onClick={() => void query.refetch()}>
          Try again
        </button>
      </p>
    );
  }
  return null;
}

/** The customer's accounts as cards; the selected one (`aria-pressed`) shows its history. */
export function AccountList(props: {
  accounts: UseQueryResult<Account[]>;
  selected: string | undefined;
  onSelect: (id: string) => void;
}) {
  const { format: money } = useMoney();
  const accounts = props.accounts.data ?? [];
  const currencies = new Set(accounts.map((a) => a.currency));
  const [currency] = currencies;
  const total = accounts.reduce((sum, a) => sum + a.balance, 0);
  return (
    <section className="card" aria-labelledby="accounts-title">
      <div className="card-head">
        <h2 id="accounts-title">Your accounts</h2>
        {currencies.size === 1 && currency !== undefined ? (
          <span className="muted" data-testid="total">
            Total {money(total, currency)}
          </span>
        ) : null}
      </div>
      <QueryState query={props.accounts} what="accounts" />
      <ul className="accounts">
        {accounts.map((account) => (
          <li key={account.id}>
            <button
              type="button"
              className={`account ${account.id === props.selected ? 'selected' : ''}`}
              aria-pressed={account.id === props.selected}
              aria-controls="history"
              onClick={() => props.onSelect(account.id)}
              data-testid="account"
              data-account-name={account.name}
            >
              <span className="account-name">{account.name}</span>
              <span className="account-number">{account.number}</span>
              <span className="account-balance" data-testid="balance">
                {money(account.balance, account.currency)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The selected account's recent history: a table with column headers, and its state when empty or loading. */
export function History(props: { account: Account | undefined; history: UseQueryResult<Transaction[]> }) {
  const { format: money, locale } = useMoney();
  const { account, history } = props;
  if (account === undefined) return null;
  const dates = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const transactions = history.data ?? [];
  return (
    <section className="card" id="history" aria-labelledby="history-title" aria-busy={history.isFetching}>
      <div className="card-head">
        <h2 id="history-title">{account.name}</h2>
        <span className="muted">Recent activity</span>
      </div>
      <QueryState query={history} what="recent activity" />
      {history.isSuccess && transactions.length === 0 ? <p className="muted">No transactions yet.</p> : null}
      {transactions.length > 0 ? (
        <table className="history" data-testid="history" data-account-id={account.id}>
          <caption className="visually-hidden">Recent activity of {account.name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Details</th>
              <th scope="col" className="amount">
                Amount
              </th>
              <th scope="col" className="after">
                Balance
              </th>
            </tr>
          </thead>
          <tbody>
            {transactions.map((t) => (
              <tr key={t.id}>
                <td className="date">
                  <time dateTime={t.createdAt}>{dates.format(new Date(t.createdAt))}</time>
                </td>
                <td>
                  <div className="party">{t.counterparty}</div>
                  {t.description ? <div className="muted small">{t.description}</div> : null}
                </td>
                <td className={`amount ${t.amount < 0 ? 'out' : 'in'}`}>
                  {money(t.amount, account.currency, { signed: true })}
                </td>
                <td className="after muted small">{money(t.balanceAfter, account.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
