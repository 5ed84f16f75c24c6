import type { Account, Transaction } from '../api/types.js';
import { formatMoney } from '../money.js';

/** The customer's accounts as cards; the selected one shows its history. */
export function AccountList(props: {
  accounts: readonly Account[];
  selected?: string;
  onSelect: (id: string) => void;
}) {
  const total = props.accounts.reduce((sum, a) => sum + a.balance, 0);
  const currency = props.accounts[0]?.currency ?? 'EUR';
  return (
    <section className="card" aria-labelledby="accounts-title">
      <div className="card-head">
        <h2 id="accounts-title">Your accounts</h2>
        <span className="muted" data-testid="total">
          Total {formatMoney(total, currency)}
        </span>
      </div>
      <ul className="accounts">
        {props.accounts.map((account) => (
          <li key={account.id}>
            <button
              type="button"
              className={`account ${account.id === props.selected ? 'selected' : ''}`}
              onClick={() => props.onSelect(account.id)}
              data-testid="account"
              data-account-name={account.name}
            >
              <span className="account-name">{account.name}</span>
              <span className="account-number">{account.number}</span>
              <span className="account-balance" data-testid="balance">
                {formatMoney(account.balance, account.currency)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

const dateFormat = new Intl.DateTimeFormat('en-IE', { day: 'numeric', month: 'short' });

/** The selected account's recent history. */
export function History(props: { account?: Account; transactions: readonly Transaction[] }) {
  if (props.account === undefined) return null;
  const { account } = props;
  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-head">
        <h2 id="history-title">{account.name}</h2>
        <span className="muted">Recent activity</span>
      </div>
      {props.transactions.length === 0 ? (
        <p className="muted">No transactions yet.</p>
      ) : (
        <table className="history" data-testid="history">
          <tbody>
            {props.transactions.map((t) => (
              <tr key={t.id}>
                <td className="date">{dateFormat.format(new Date(t.createdAt))}</td>
                <td>
                  <div className="party">{t.counterparty}</div>
                  {t.description ? <div className="muted small">{t.description}</div> : null}
                </td>
                <td className={`amount ${t.amount < 0 ? 'out' : 'in'}`}>
                  {formatMoney(t.amount, account.currency, { signed: true })}
                </td>
                <td className="after muted small">{formatMoney(t.balanceAfter, account.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
