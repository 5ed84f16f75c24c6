import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { createBankQueryClient } from '../api/queries.js';
import type { OAuthContext, Session } from '../auth/oauth.js';
import { AccountList, History } from './Accounts.js';
import { Header } from './Header.js';
import { Payees } from './Payees.js';
import { StepUpDialog } from './StepUpDialog.js';
import { TransferForm } from './TransferForm.js';
import { type Notice, type ReturnOutcome, useActions } from './useActions.js';
import { useBankData } from './useBankData.js';
import { useSession } from './useSession.js';

export type { ReturnOutcome } from './useActions.js';

function NoticeBar(props: { notice: Notice; onRetry: () => void; onDiscard: () => void }) {
  const { notice } = props;
  return (
    <div
      className={`notice ${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      <span data-testid="notice-text">{notice.text}</span>
      {notice.retry ? (
        <span className="row">
          <button type="button" className="button small primary" onClick={props.onRetry}>
            Try again
          </button>
          <button type="button" className="button small ghost" onClick={props.onDiscard}>
            Discard
          </button>
        </span>
      ) : null}
    </div>
  );
}

interface BankProps {
  ctx: OAuthContext;
  initialSession: Session;
  outcome?: ReturnOutcome;
  onSignedOut: (notice?: string) => void;
}

/**
 * The signed-in bank: accounts, history, transfers, payees, and step-up when the API asks for it.
 * One TanStack Query client per signed-in session; it ends the session when a call finds it over.
 */
export function Bank(props: BankProps) {
  const { api, session, ended, signOut } = useSession(props.ctx, props.initialSession, props.onSignedOut);
  const endedRef = useRef(ended);
  endedRef.current = ended;
  const [client] = useState(() => createBankQueryClient({ onSignInRequired: () => endedRef.current() }));
  return (
    <QueryClientProvider client={client}>
      <BankScreen {...props} api={api} session={session} signOut={signOut} />
    </QueryClientProvider>
  );
}

function BankScreen(props: BankProps & Pick<ReturnType<typeof useSession>, 'api' | 'session' | 'signOut'>) {
  const { ctx, api, session } = props;
  const data = useBankData(api);
  const actions = useActions({ ctx, api, outcome: props.outcome, select: data.select });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="app">
      <Header
        session={session}
        now={now}
        settingsUrl={`${ctx.config.issuer}/account`}
        onSignOut={props.signOut}
      />
      <main className="content">
        {actions.notice ? (
          <NoticeBar notice={actions.notice} onRetry={actions.retry} onDiscard={actions.discard} />
        ) : null}
        <div className="grid">
          <div className="column">
            <AccountList accounts={data.accounts} selected={data.selected} onSelect={data.select} />
            <History account={data.account} history={data.history} />
          </div>
          <div className="column narrow">
            <TransferForm
              accounts={data.accounts.data ?? []}
              payees={data.payees.data ?? []}
              session={session}
              now={now}
              sending={actions.sending}
              onSend={(action) => actions.run(action, 'first')}
            />
            <Payees
              payees={data.payees}
              session={session}
              now={now}
              adding={actions.adding}
              onAdd={(action) => actions.run(action, 'first')}
            />
          </div>
        </div>
      </main>
      <footer className="footer">Stepup Bank is a demonstration. No real money moves.</footer>
      {actions.stepUp ? (
        <StepUpDialog
          action={actions.stepUp.action}
          challenge={actions.stepUp.challenge}
          sessionAcr={session.acr}
          onContinue={actions.continueStepUp}
          onCancel={actions.cancelStepUp}
        />
      ) : null}
    </div>
  );
}
