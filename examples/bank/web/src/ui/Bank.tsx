import { useEffect, useState } from 'react';
import type { OAuthContext, Session } from '../auth/oauth.js';
import { AccountList, History } from './Accounts.js';
import { Header } from './Header.js';
import { Payees } from './Payees.js';
import { StepUpDialog } from './StepUpDialog.js';
import { TransferForm } from './TransferForm.js';
import { useAccounts } from './useAccounts.js';
import { type Notice, type ReturnOutcome, useActions } from './useActions.js';
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
      <span>{notice.text}</span>
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

/** The signed-in bank: accounts, history, transfers, payees, and step-up when the API asks for it. */
export function Bank(props: {
  ctx: OAuthContext;
  initialSession: Session;
  outcome?: ReturnOutcome;
  onSignedOut: (notice?: string) => void;
}) {
  const { ctx } = props;
  const { api, session, ended, signOut } = useSession(ctx, props.initialSession, props.onSignedOut);
  const data = useAccounts(api);
  const actions = useActions({
    ctx,
    api,
    outcome: props.outcome,
    load: data.load,
    selected: data.selected,
    ended,
  });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const account = data.accounts.find((a) => a.id === data.selected);
  return (
    <div className="app">
      <Header session={session} now={now} settingsUrl={`${ctx.config.issuer}/account`} onSignOut={signOut} />
      <main className="content">
        {actions.notice ? (
          <NoticeBar
            notice={actions.notice}
            onRetry={actions.retryPending}
            onDiscard={actions.discardPending}
          />
        ) : null}
        <div className="grid">
          <div className="column">
            <AccountList
              accounts={data.accounts}
              {...(data.selected === undefined ? {} : { selected: data.selected })}
              onSelect={data.select}
            />
            <History {...(account === undefined ? {} : { account })} transactions={data.transactions} />
          </div>
          <div className="column narrow">
            <TransferForm
              accounts={data.accounts}
              payees={data.payees}
              busy={actions.busy}
              onSubmit={(action) => void actions.run(action, 'first')}
            />
            <Payees
              payees={data.payees}
              busy={actions.busy}
              onAdd={(action) => void actions.run(action, 'first')}
            />
          </div>
        </div>
      </main>
      <footer className="footer">Stepup Bank is a demonstration. No real money moves.</footer>
      {actions.stepUp ? (
        <StepUpDialog
          action={actions.stepUp.action}
          challenge={actions.stepUp.challenge}
          onContinue={actions.continueStepUp}
          onCancel={actions.cancelStepUp}
        />
      ) : null}
    </div>
  );
}
