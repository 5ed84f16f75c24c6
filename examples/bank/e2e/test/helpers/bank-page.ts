// What the browser suite does on the bank's web page, in the words a customer would use.
import type { Locator, Page } from 'playwright-core';

/** The balances the page shows, by account name. */
export async function balances(page: Page): Promise<Record<string, string>> {
  await page.getByTestId('balance').first().waitFor();
  const cards = await page.getByTestId('account').all();
  const entries = await Promise.all(
    cards.map(async (card) => [
      String(await card.getAttribute('data-account-name')),
      String(await card.getByTestId('balance').textContent()),
    ]),
  );
  return Object.fromEntries(entries);
}

/** Fills the transfer form and asks for the review; resolves once the review or a refusal shows. */
export async function reviewTransfer(page: Page, from: string, to: string, amount: string): Promise<Locator> {
  const form = page.getByTestId('transfer-form');
  const source = form.getByLabel('From');
  await source.selectOption(String(await source.locator('option', { hasText: from }).getAttribute('value')));
  await form.getByLabel('To').selectOption({ label: to });
  await form.getByLabel('Amount').fill(amount);
  await form.getByRole('button', { name: 'Review transfer' }).click();
  await page.getByTestId('transfer-review').or(page.getByTestId('transfer-error')).waitFor();
  return page.getByTestId('transfer-review');
}

/** What the review step shows: amount, from, to, reference. */
export async function reviewed(page: Page): Promise<Record<string, string | null>> {
  const field = (id: string) => page.getByTestId(id).textContent();
  return {
    amount: await field('review-amount'),
    from: await field('review-from'),
    to: await field('review-to'),
    reference: await field('review-reference'),
  };
}

/** Reviews the transfer, then sends it. */
export async function sendMoney(page: Page, from: string, to: string, amount: string): Promise<void> {
  const review = await reviewTransfer(page, from, to, amount);
  await review.getByRole('button', { name: 'Send money' }).click();
}

/**
 * What assistive technology is told: the selected account (`aria-pressed`), the history's column
 * headers, the level badge's explanation in visible text, and the amount field's focus ring.
 */
export async function accessibility(page: Page) {
  const selected = page.getByRole('button', { pressed: true });
  await page.getByTestId('history').waitFor();
  const amount = page.getByTestId('transfer-form').getByLabel('Amount');
  await amount.focus();
  const ring = await amount.evaluate((input) => {
    const style = getComputedStyle(input.closest('.money-input') ?? input);
    return `${style.outlineWidth} ${style.outlineStyle}`;
  });
  await amount.blur();
  return {
    selected: await Promise.all((await selected.all()).map((b) => b.getAttribute('data-account-name'))),
    historyHeaders: await page.getByTestId('history').getByRole('columnheader').allTextContents(),
    levelExplained: await page.getByTestId('session-level').evaluate((badge) => {
      const id = badge.getAttribute('aria-describedby');
      return id === null ? null : (document.getElementById(id)?.textContent ?? null);
    }),
    amountFocusRing: ring,
  };
}
