import { useEffect, useRef } from 'react';
import type { TransferAction } from '../actions.js';
import { useMoney } from './money.js';

/**
 * The review step: amount, from, to and reference as they will be sent, before anything is. Focus
 * moves to its title when it opens, so a screen reader reads it out.
 */
export function TransferReview(props: {
  action: TransferAction;
  fromName: string;
  sending: boolean;
  onEdit: () => void;
  onSend: () => void;
}) {
  const { format: money } = useMoney();
  const title = useRef<HTMLHeadingElement>(null);
  const { action } = props;
  useEffect(() => title.current?.focus(), []);
  return (
    <section className="review" aria-labelledby="review-title" data-testid="transfer-review">
      <h3 id="review-title" ref={title} tabIndex={-1}>
        Check your transfer
      </h3>
      <dl>
        <dt>Amount</dt>
        <dd data-testid="review-amount">{money(action.request.amount, action.currency)}</dd>
        <dt>From</dt>
        <dd data-testid="review-from">{props.fromName}</dd>
        <dt>To</dt>
        <dd data-testid="review-to">{action.toName}</dd>
        <dt>Reference</dt>
        <dd data-testid="review-reference">{action.request.description || 'None'}</dd>
      </dl>
      <div className="row end">
        <button type="button" className="button ghost" onClick={props.onEdit} disabled={props.sending}>
          Edit
        </button>
        <button type="button" className="button primary" onClick={props.onSend} disabled={props.sending}>
          {props.sending ? 'Sending…' : 'Send money'}
        </button>
      </div>
    </section>
  );
}
