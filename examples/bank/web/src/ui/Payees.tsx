import { type FormEvent, useState } from 'react';
import type { Payee } from '../api/types.js';
import type { PendingAction } from '../stepup.js';

/** The customer's payees, and a form to add one (which needs the security key). */
export function Payees(props: {
  payees: readonly Payee[];
  busy: boolean;
  onAdd: (action: Extract<PendingAction, { kind: 'payee' }>) => void;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [accountNumber, setAccountNumber] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    props.onAdd({ kind: 'payee', request: { name: name.trim(), accountNumber: accountNumber.trim() } });
    setName('');
    setAccountNumber('');
    setOpen(false);
  }

  return (
    <section className="card" aria-labelledby="payees-title">
      <div className="card-head">
        <h2 id="payees-title">Payees</h2>
        {open ? null : (
          <button type="button" className="button small ghost" onClick={() => setOpen(true)}>
            Add payee
          </button>
        )}
      </div>
      {props.payees.length === 0 && !open ? (
        <p className="muted">People and companies you pay will appear here.</p>
      ) : null}
      <ul className="payees">
        {props.payees.map((p) => (
          <li key={p.id}>
            <span className="party">{p.name}</span>
            <span className="muted small">{p.accountNumber.replace(/(.{4})(?=.)/g, '$1 ')}</span>
          </li>
        ))}
      </ul>
      {open ? (
        <form className="form" onSubmit={submit} data-testid="payee-form">
          <label>
            Name
            <input
              name="payee-name"
              required
              maxLength={70}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            Account number (IBAN)
            <input
              name="payee-account"
              required
              maxLength={42}
              value={accountNumber}
              onChange={(e) => setAccountNumber(e.target.value)}
            />
          </label>
          <p className="hint">New payees are confirmed with your security key.</p>
          <div className="row">
            <button type="submit" className="button primary" disabled={props.busy}>
              Add payee
            </button>
            <button type="button" className="button ghost" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
