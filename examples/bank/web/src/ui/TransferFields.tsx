import type { Account, Payee } from '@stepup-example/contract';
import type { Ref } from 'react';
import { currencyAfterAmount, currencySymbol } from '../money/format-money.js';
import { useMoney } from './money.js';

export interface Destination {
  readonly value: string;
  readonly label: string;
  readonly group: 'accounts' | 'payees';
  readonly to: { toAccountId: string } | { toPayeeId: string };
}

/** Where money can go from `from`: the customer's other accounts, then their payees. */
export function destinations(
  accounts: readonly Account[],
  payees: readonly Payee[],
  from: string,
): Destination[] {
  return [
    ...accounts
      .filter((a) => a.id !== from)
      .map((a) => ({
        value: `account:${a.id}`,
        label: a.name,
        group: 'accounts' as const,
        to: { toAccountId: a.id },
      })),
    ...payees.map((p) => ({
      value: `payee:${p.id}`,
      label: p.name,
      group: 'payees' as const,
      to: { toPayeeId: p.id },
    })),
  ];
}

/** The "To" select: the customer's other accounts, then their payees. */
export function DestinationSelect(props: {
  options: readonly Destination[];
  value: string;
  onChange: (value: string) => void;
}) {
  const group = (name: Destination['group']) =>
    props.options
      .filter((d) => d.group === name)
      .map((d) => (
        <option key={d.value} value={d.value}>
          {d.label}
        </option>
      ));
  const payees = group('payees');
  return (
    <label>
      To
      <select name="to" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <optgroup label="Your accounts">{group('accounts')}</optgroup>
        {payees.length > 0 ? <optgroup label="Payees">{payees}</optgroup> : null}
      </select>
    </label>
  );
}

/** The amount, as typed (read by the customer's locale), with the currency where the locale writes it. */
export function AmountField(props: {
  ref: Ref<HTMLInputElement>;
  currency: string;
  value: string;
  invalid: boolean;
  describedBy: string;
  onChange: (value: string) => void;
}) {
  const { locale } = useMoney();
  return (
    <label>
      Amount
      <div className={`money-input ${currencyAfterAmount(locale, props.currency) ? 'symbol-after' : ''}`}>
        <span aria-hidden="true">{currencySymbol(locale, props.currency)}</span>
        <input
          ref={props.ref}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          value={props.value}
          aria-invalid={props.invalid}
          aria-describedby={props.describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
      </div>
    </label>
  );
}
