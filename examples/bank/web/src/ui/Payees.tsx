import { type Payee, PayeeBody, payeeNeeds } from '@stepup-example/contract';
import type { UseQueryResult } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { PayeeAction } from '../actions.js';
import type { Session } from '../auth/oauth.js';
import { sessionMeets } from '../stepup.js';
import type { ActionOutcome } from './useActions.js';

/** The first problem the contract's schema finds, in words for the form. */
function problem(error: { issues: readonly { path: readonly PropertyKey[] }[] }): string {
  const field = error.issues[0]?.path[0];
  return field === 'accountNumber'
    ? 'The account number has 8 to 34 letters and digits (spaces are fine).'
    : 'Enter the payee’s name.';
}

/**
 * The customer's payees, and a form to add one (which needs the high level). The form checks with the
 * API's own schema first, so a step-up is never asked for a payee the API would refuse.
 */
export function Payees(props: {
  payees: UseQueryResult<Payee[]>;
  session: Session;
  now: number;
  adding: boolean;
  onAdd: (action: PayeeAction) => Promise<ActionOutcome>;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [error, setError] = useState<string>();
  const payees = props.payees.data ?? [];
  const needs = payeeNeeds();
  const covered = sessionMeets(needs, props.session, props.now);

  function close() {
    setName('');
    setAccountNumber('');
    setError(undefined);
    setOpen(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = PayeeBody.safeParse({ name, accountNumber });
    if (!parsed.success) return setError(problem(parsed.error));
    setError(undefined);
    if ((await props.onAdd({ kind: 'payee', request: parsed.data })) === 'done') close();
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
      {props.payees.isError ? (
        <p className="field-error" role="alert">
          Your payees could not be loaded.
        </p>
      ) : null}
      {props.payees.isSuccess && payees.length === 0 && !open ? (
        <p className="muted">People and companies you pay will appear here.</p>
      ) : null}
      <ul className="payees">
        {payees.map((p) => (
          <li key={p.id}>
            <span className="party">{p.name}</span>
            <span className="muted small">{p.accountNumber.replace(/(.{4})(?=.)/g, '$1 ')}</span>
          </li>
        ))}
      </ul>
      {open ? (
        <form className="form" onSubmit={(e) => void submit(e)} data-testid="payee-form" noValidate>
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
          <p className="hint">
            {covered
              ? `New payees need your ${needs.level.credential}: your recent sign-in with it covers this.`
              : `New payees are confirmed with your ${needs.level.credential}.`}
          </p>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="row">
            <button type="submit" className="button primary" disabled={props.adding}>
              {props.adding ? 'Adding…' : 'Add payee'}
            </button>
            <button type="button" className="button ghost" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
