import { createContext, useContext } from 'react';
import { type MoneyFormat, moneyFormat } from '../money/format-money.js';

/** The customer's locale and its money formatter, provided once by `App`. */
export interface Money {
  readonly locale: string;
  readonly format: MoneyFormat;
}

/** Set by `App` from the browser's locale; the default only serves components rendered outside it. */
export const MoneyContext = createContext<Money>({ locale: 'en-US', format: moneyFormat('en-US') });

/** The customer's locale and money formatter. */
export function useMoney(): Money {
  return useContext(MoneyContext);
}
