import { type FormEvent, useEffect, useState } from 'react';
import type { Account, Payee } from '../api/types.js';
import { formatMoney, parseAmount } from '../money.js';
import type { PendingAction } from '../stepup.js';

const THRESHOLD = 100_000;

/** "Move money": between the customer's accounts or to a payee. Each submission gets its own idempotency key. */
export function TransferForm(props: {
  accounts: readonly Account[];
  payees: readonly Payee[];
  busy: boolean;
  onSubmit: (action: Extract<PendingAction, { kind: 'transfer' }>) => void;
}) {
  const { accounts, payees } = props;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [amountText, setAmountText] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (from === '' && accounts[0]) setFrom(accounts[0].id);
  }, [accounts, from]);

  const source = accounts.find((a) => a.id === from);
  const currency = source?.currency ?? 'EUR';
  const amount = parseAmount(amountText);
  const destinations = [
    ...accounts
      .filter((a) => a.id !== from)
      .map((a) => ({ value: `account:${a.id}`, label: a.name, group: 'accounts' })),
    ...payees.map((p) => ({ value: `payee:${p.id}`, label: p.name, group: 'payees' })),
  ];
  const target = destinations.find((d) => d.value === to) ?? destinations[0];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!source || !target) return setError('Choose where the money comes from and where it goes.');
    if (amount === undefined) return setError('Enter an amount, like 50 or 1,250.00.');
    if (amount > source.balance)
      return setError(`That is more than the ${formatMoney(source.balance, currency)} available.`);
    setError(undefined);
    const [kind, id] = target.value.split(':') as [string, string];
    props.onSubmit({
      kind: 'transfer',
      key: crypto.randomUUID(),
      request: {
        fromAccountId: source.id,
        ...(kind === 'account' ? { toAccountId: id } : { toPayeeId: id }),
        amount,
        description: reference.trim(),
      },
      currency,
      toName: target.label,
    });
    setAmountText('');
    setReference('');
  }

  return (
    <section className="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">Move money</h2>
      <form className="form" onSubmit={submit} data-testid="transfer-form">
        <label>
          From
          <select name="from" value={from} onChange={(e) => setFrom(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · {formatMoney(a.balance, a.currency)}
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select name="to" value={target?.value ?? ''} onChange={(e) => setTo(e.target.value)}>
            <optgroup label="Your accounts">
              {destinations
                .filter((d) => d.group === 'accounts')
                .map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
            </optgroup>
            {payees.length > 0 ? (
              <optgroup label="Payees">
                {destinations
                  .filter((d) => d.group === 'payees')
                  .map((d) => (
                    <option key={d.value} value={d.value}>
                      {d.label}
                    </option>
                  ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <label>
          Amount
          <div className="money-input">
            <span aria-hidden="true">€</span>
            <input
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.00"
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
            />
          </div>
        </label>
        <label>
          <span>
            Reference <span className="muted">(optional)</span>
          </span>
          <input
            name="reference"
            maxLength={140}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
          />
        </label>
        <p
          className={`hint ${amount !== undefined && amount > THRESHOLD ? 'strong' : ''}`}
          data-testid="transfer-hint"
        >
          {amount !== undefined && amount > THRESHOLD
            ? `Over ${formatMoney(THRESHOLD, currency)}: we will ask for your security key.`
            : `Transfers over ${formatMoney(THRESHOLD, currency)} need your security key.`}
        </p>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button primary" disabled={props.busy}>
          {props.busy ? 'Sending…' : 'Send money'}
        </button>
      </form>
    </section>
  );
}
