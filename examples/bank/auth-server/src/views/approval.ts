import type { Approval } from '../oidc/approval.js';
import { html, type SafeHtml } from './html.js';

/** `€1,500.00`: the approval's decimal string formatted as it is, never through a float. */
export function approvalAmount(amount: { currency: string; amount: string }): string {
  // Intl.NumberFormat formats a numeric string exactly (ECMA-402 "Intl.NumberFormat v3").
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency: amount.currency });
  return format.format(amount.amount as `${number}`);
}

/** An account number in groups of four, as a bank statement prints it. */
function grouped(account: string): string {
  return account.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The transfer being approved, in words, on the bank's own page, before any key is touched: amount,
 * currency, payee and account, exactly as the token will carry them (the approval's challenge is
 * derived from the same details).
 */
export function approvalCard(approval: Approval): SafeHtml {
  const [detail] = approval;
  return html`<section class="approval" data-testid="approval" aria-labelledby="approval-title">
  <h2 id="approval-title">Approve this transfer</h2>
  <dl class="approval-details">
    <dt>Amount</dt><dd data-testid="approval-amount">${approvalAmount(detail.instructedAmount)}</dd>
    <dt>To</dt><dd data-testid="approval-payee">${detail.creditorName}</dd>
    <dt>Account</dt><dd data-testid="approval-account">${grouped(detail.creditorAccount.iban)}</dd>
  </dl>
  <p class="hint">Check these details. What you approve is exactly this transfer, once: a different amount
    or payee would need a new approval.</p>
</section>`;
}
