import {
  type Account,
  ELEVATED_THRESHOLD,
  HIGH_VALUE_THRESHOLD,
  isNewPayee,
  MAX_REFERENCE,
  MAX_TRANSFER,
  type Payee,
  TransferBody,
  transferNeeds,
} from '@stepup-example/contract';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { TransferAction } from '../actions.js';
import type { Session } from '../auth/oauth.js';
import { amountProblem } from '../money/amount-problem.js';
import { parseAmount } from '../money/parse-amount.js';
import { useMoney } from './money.js';
import { AmountField, DestinationSelect, destinations } from './TransferFields.js';
import { TransferReview } from './TransferReview.js';
import type { ActionOutcome } from './useActions.js';

/**
 * What the form says about the check before anything is sent, from the amount and the payee (the
 * contract's ladder): every step-up transfer is approved on its own, so a recent sign-in never covers it.
 */
function stepUpHint(
  amount: number | undefined,
  newPayee: boolean,
  thresholds: { elevated: string; high: string },
): string {
  const elevated = transferNeeds(ELEVATED_THRESHOLD + 1).level.credential;
  const high = transferNeeds(HIGH_VALUE_THRESHOLD + 1).level.credential;
  const needs = transferNeeds(amount ?? 0, { newPayee });
  if (newPayee)
    return `This payee was added in the last 24 hours: we will ask you to approve any transfer with your ${high}.`;
  if (amount === undefined || !needs.bound) {
    return `Transfers over ${thresholds.elevated} need your ${elevated}; over ${thresholds.high}, your ${high}.`;
  }
  const over = needs.level.level === 'high' ? thresholds.high : thresholds.elevated;
  return `Over ${over}: we will ask you to approve this transfer with your ${needs.level.credential}.`;
}

/**
 * "Move money": between the customer's accounts or to a payee. The amount is read by the customer's
 * locale and refused when unclear; a review step shows amount, from, to and reference before anything
 * is sent. Each reviewed transfer gets its own idempotency key, kept for every attempt of it; the
 * form keeps what was typed until the transfer is done.
 */
export function TransferForm(props: {
  accounts: readonly Account[];
  payees: readonly Payee[];
  session: Session;
  now: number;
  sending: boolean;
  onSend: (action: TransferAction) => Promise<ActionOutcome>;
}) {
  const { accounts, payees } = props;
  const { format: money, locale } = useMoney();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [amountText, setAmountText] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState<{ action: TransferAction; fromName: string }>();
  const amountField = useRef<HTMLInputElement>(null);
  const ids = { hint: useId(), error: useId() };

  useEffect(() => {
    if (from === '' && accounts[0]) setFrom(accounts[0].id);
  }, [accounts, from]);

  const source = accounts.find((a) => a.id === from);
  const currency = source?.currency ?? accounts[0]?.currency ?? 'EUR';
  const reading = parseAmount(amountText, { locale, currency });
  const amount = reading.kind === 'amount' ? reading.minor : undefined;
  const options = destinations(accounts, payees, from);
  const target = options.find((d) => d.value === to) ?? options[0];
  const thresholds = {
    elevated: money(ELEVATED_THRESHOLD, currency),
    high: money(HIGH_VALUE_THRESHOLD, currency),
  };
  const destination = target?.to;
  const payee =
    destination !== undefined && 'toPayeeId' in destination
      ? payees.find((p) => p.id === destination.toPayeeId)
      : undefined;
  const newPayee = payee !== undefined && isNewPayee(Date.parse(payee.createdAt), props.now);
  const bound = transferNeeds(amount ?? 0, { newPayee }).bound;

  function review(event: FormEvent) {
    event.preventDefault();
    if (!source || !target) return setError('Choose where the money comes from and where it goes.');
    if (reading.kind !== 'amount') return setError(amountProblem(reading, amountText, { locale, currency }));
    if (reading.minor > MAX_TRANSFER)
      return setError(`You can send at most ${money(MAX_TRANSFER, currency)} at once.`);
    if (reading.minor > source.balance)
      return setError(`That is more than the ${money(source.balance, currency)} available.`);
    const request = {
      fromAccountId: source.id,
      ...target.to,
      amount: reading.minor,
      description: reference.trim(),
    };
    const parsed = TransferBody.safeParse(request);
    if (!parsed.success) return setError('Check the details of the transfer.');
    setError(undefined);
    const key = crypto.randomUUID();
    const action = { kind: 'transfer' as const, key, request: parsed.data, currency, toName: target.label };
    setDraft({ action, fromName: source.name });
  }

  function edit() {
    setDraft(undefined);
    queueMicrotask(() => amountField.current?.focus());
  }

  async function send() {
    if (draft === undefined) return;
    if ((await props.onSend(draft.action)) !== 'done') return;
    setDraft(undefined);
    setAmountText('');
    setReference('');
  }

  return (
    <section className="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">Move money</h2>
      <form className="form" onSubmit={review} data-testid="transfer-form" noValidate>
        <fieldset className="fields" disabled={draft !== undefined}>
          <label>
            From
            <select name="from" value={from} onChange={(e) => setFrom(e.target.value)}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} · {money(a.balance, a.currency)}
                </option>
              ))}
            </select>
          </label>
          <DestinationSelect options={options} value={target?.value ?? ''} onChange={setTo} />
          <AmountField
            ref={amountField}
            currency={currency}
            value={amountText}
            invalid={error !== undefined && reading.kind !== 'amount'}
            describedBy={error === undefined ? ids.hint : `${ids.error} ${ids.hint}`}
            onChange={setAmountText}
          />
          <label>
            <span>
              Reference <span className="muted">(optional)</span>
            </span>
            <input
              name="reference"
              maxLength={MAX_REFERENCE}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
          </label>
        </fieldset>
        <p id={ids.hint} className={`hint ${bound ? 'strong' : ''}`} data-testid="transfer-hint">
          {stepUpHint(amount, newPayee, thresholds)}
        </p>
        {error ? (
          <p id={ids.error} className="field-error" role="alert" data-testid="transfer-error">
            {error}
          </p>
        ) : null}
        {draft === undefined ? (
          <button type="submit" className="button primary">
            Review transfer
          </button>
        ) : (
          <TransferReview
            action={draft.action}
            fromName={draft.fromName}
            sending={props.sending}
            onEdit={edit}
            onSend={() => void send()}
          />
        )}
      </form>
    </section>
  );
}
