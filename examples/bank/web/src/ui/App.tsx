import * as oauth from 'oauth4webapi';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  discover,
  finishAuthorization,
  type OAuthContext,
  type Session,
  storedSession,
} from '../auth/oauth.js';
import { loadConfig } from '../config.js';
import { userLocale } from '../locale.js';
import { moneyFormat } from '../money/format-money.js';
import { Bank, type ReturnOutcome } from './Bank.js';
import { Landing } from './Landing.js';
import { MoneyContext } from './money.js';

type State =
  | { phase: 'loading' }
  | { phase: 'failed'; message: string }
  | { phase: 'signed-out'; ctx: OAuthContext; notice?: string }
  | { phase: 'signed-in'; ctx: OAuthContext; session: Session; outcome?: ReturnOutcome };

async function boot(): Promise<State> {
  const ctx = await discover(await loadConfig());
  const url = new URL(window.location.href);
  if (url.pathname !== '/callback') {
    const session = storedSession();
    return session === undefined ? { phase: 'signed-out', ctx } : { phase: 'signed-in', ctx, session };
  }
  window.history.replaceState(null, '', '/');
  try {
    const { session, asked } = await finishAuthorization(ctx, url);
    return {
      phase: 'signed-in',
      ctx,
      session,
      outcome: { kind: 'authorized', steppedUp: asked.acrValues !== undefined || asked.maxAge !== undefined },
    };
  } catch (error) {
    const session = storedSession();
    if (error instanceof oauth.AuthorizationResponseError) {
      const outcome: ReturnOutcome = { kind: 'refused', error: error.error };
      return session === undefined
        ? { phase: 'signed-out', ctx, notice: 'The sign-in was cancelled.' }
        : { phase: 'signed-in', ctx, session, outcome };
    }
    console.error(error);
    return session === undefined
      ? { phase: 'signed-out', ctx, notice: 'The sign-in could not be completed. Please try again.' }
      : { phase: 'signed-in', ctx, session, outcome: { kind: 'refused', error: 'failed' } };
  }
}

/** Loads the configuration, finishes a sign-in coming back on `/callback`, then shows the bank. */
export function App() {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const started = useRef(false);
  const money = useMemo(() => {
    const locale = userLocale();
    return { locale, format: moneyFormat(locale) };
  }, []);

  useEffect(() => {
    // Once only, even under StrictMode: the authorization code can be exchanged only once.
    if (started.current) return;
    started.current = true;
    boot().then(setState, (error: unknown) => {
      console.error(error);
      setState({
        phase: 'failed',
        message: 'Stepup Bank is not reachable right now. Please try again in a moment.',
      });
    });
  }, []);

  return <MoneyContext value={money}>{screen(state, setState)}</MoneyContext>;
}

function screen(state: State, setState: (state: State) => void) {
  switch (state.phase) {
    case 'loading':
      return (
        <div className="splash" aria-busy="true">
          <div className="logo large">Stepup Bank</div>
        </div>
      );
    case 'failed':
      return (
        <div className="splash">
          <div className="logo large">Stepup Bank</div>
          <p className="notice error">{state.message}</p>
        </div>
      );
    case 'signed-out':
      return <Landing ctx={state.ctx} {...(state.notice === undefined ? {} : { notice: state.notice })} />;
    case 'signed-in':
      return (
        <Bank
          ctx={state.ctx}
          initialSession={state.session}
          {...(state.outcome === undefined ? {} : { outcome: state.outcome })}
          onSignedOut={(notice) =>
            setState({ phase: 'signed-out', ctx: state.ctx, ...(notice ? { notice } : {}) })
          }
        />
      );
  }
}
