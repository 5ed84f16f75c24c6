import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, BankApi, SignInRequired, type StepUpChallenge, StepUpRequired } from '../api/client.js';
import type { Account, Payee, Transaction } from '../api/types.js';
import {
  forgetSession,
  freshSession,
  logoutUrl,
  type OAuthContext,
  type Session,
  startAuthorization,
} from '../auth/oauth.js';
import { formatMoney } from '../money.js';
import {
  clearPending,
  describeAction,
  describeActionSentence,
  loadPending,
  type PendingAction,
  savePending,
} from '../stepup.js';
import { AccountList, History } from './Accounts.js';
import { Header } from './Header.js';
import { Payees } from './Payees.js';
import { StepUpDialog } from './StepUpDialog.js';
import { TransferForm } from './TransferForm.js';

/** How the last trip to the authorization server ended. */
export type ReturnOutcome = { kind: 'authorized'; steppedUp: boolean } | { kind: 'refused'; error: string };

type Notice = { tone: 'success' | 'error' | 'info'; text: string; retry?: boolean };

function refusedText(error: string): string {
  if (error === 'unmet_authentication_requirements') {
    return 'Your account has no security key that can approve it. Add one in Security settings, then try again.';
  }
  if (error === 'access_denied') return 'The security check was cancelled.';
  return 'The security check could not be completed.';
}

/** The signed-in bank: accounts, history, transfers, payees, and step-up when the API asks for it. */
export function Bank(props: {
  ctx: OAuthContext;
  initialSession: Session;
  outcome?: ReturnOutcome;
  onSignedOut: (notice?: string) => void;
}) {
  const { ctx, onSignedOut } = props;
  const session = useRef(props.initialSession);
  const [shown, setShown] = useState(props.initialSession);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [selected, setSelected] = useState<string>();
  const [transactions, setTransactions] = useState<Transaction[]>([]);
  const [payees, setPayees] = useState<Payee[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [stepUp, setStepUp] = useState<{ action: PendingAction; challenge: StepUpChallenge }>();
  const [now, setNow] = useState(Date.now());
  const resumed = useRef(false);

  const api = useMemo(
    () =>
      new BankApi(ctx.config.apiUrl, async () => {
        const fresh = await freshSession(ctx, session.current);
        if (fresh === undefined) throw new SignInRequired('Your session has ended.');
        if (fresh !== session.current) {
          session.current = fresh;
          setShown(fresh);
        }
        return fresh.accessToken;
      }),
    [ctx],
  );

  const signedOut = useCallback(() => {
    forgetSession();
    onSignedOut('Your session has ended. Please sign in again.');
  }, [onSignedOut]);

  const load = useCallback(
    async (accountId?: string) => {
      const [list, payeeList] = await Promise.all([api.accounts(), api.payees()]);
      setAccounts(list);
      setPayees(payeeList);
      const current = accountId ?? list[0]?.id;
      setSelected(current);
      setTransactions(current === undefined ? [] : await api.transactions(current));
    },
    [api],
  );

  const run = useCallback(
    async (action: PendingAction, attempt: 'first' | 'retry') => {
      setBusy(true);
      setNotice(undefined);
      try {
        if (action.kind === 'transfer') {
          const done = await api.transfer(action.request, action.key);
          setNotice({
            tone: 'success',
            text: `Sent ${formatMoney(done.amount, done.currency)} to ${action.toName}.`,
          });
          await load(action.request.fromAccountId);
        } else {
          const payee = await api.addPayee(action.request);
          setNotice({ tone: 'success', text: `${payee.name} is now one of your payees.` });
          await load(selected);
        }
        clearPending();
      } catch (error) {
        if (error instanceof StepUpRequired && attempt === 'first') {
          setStepUp({ action, challenge: error.challenge });
        } else if (error instanceof StepUpRequired) {
          // Never loop: one step-up, one retry.
          clearPending();
          setNotice({
            tone: 'error',
            text: `Still not enough to approve ${describeAction(action)}: nothing was sent.`,
          });
        } else if (error instanceof SignInRequired) {
          signedOut();
        } else {
          clearPending();
          const text = error instanceof ApiError ? error.message : 'Something went wrong. Nothing was sent.';
          setNotice({ tone: 'error', text });
        }
      } finally {
        setBusy(false);
      }
    },
    [api, load, selected, signedOut],
  );

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const pending = loadPending();
    const outcome = props.outcome;
    void (async () => {
      try {
        await load();
      } catch (error) {
        if (error instanceof SignInRequired) return signedOut();
        setNotice({ tone: 'error', text: 'Your accounts could not be loaded. Please reload the page.' });
      }
      if (pending?.sentAt === undefined || outcome === undefined) return;
      if (outcome.kind === 'authorized') {
        setNotice({ tone: 'info', text: `Thanks. Finishing ${describeAction(pending.action)}…` });
        await run(pending.action, 'retry');
      } else {
        setNotice({
          tone: 'error',
          text: `${describeActionSentence(pending.action)} was not ${pending.action.kind === 'transfer' ? 'sent' : 'done'}. ${refusedText(outcome.error)}`,
          retry: true,
        });
      }
    })();
  }, [load, run, signedOut, props.outcome]);

  function continueStepUp() {
    if (stepUp === undefined) return;
    const { action, challenge } = stepUp;
    savePending({
      action,
      acrValues: [...challenge.acrValues],
      ...(challenge.maxAge === undefined ? {} : { maxAge: challenge.maxAge }),
      sentAt: Date.now(),
    });
    void startAuthorization(ctx, {
      ...(challenge.acrValues.length > 0 ? { acrValues: challenge.acrValues.join(' ') } : {}),
      ...(challenge.maxAge === undefined ? {} : { maxAge: challenge.maxAge }),
    });
  }

  function retryPending() {
    const pending = loadPending();
    if (pending === undefined) return setNotice(undefined);
    setStepUp({
      action: pending.action,
      challenge: {
        acrValues: pending.acrValues,
        ...(pending.maxAge === undefined ? {} : { maxAge: pending.maxAge }),
      },
    });
  }

  async function signOut() {
    const url = logoutUrl(ctx, session.current);
    forgetSession();
    clearPending();
    if (url) window.location.assign(url);
    else onSignedOut();
  }

  const account = accounts.find((a) => a.id === selected);
  return (
    <div className="app">
      <Header
        session={shown}
        now={now}
        settingsUrl={`${ctx.config.issuer}/account`}
        onSignOut={() => void signOut()}
      />
      <main className="content">
        {notice ? (
          <div
            className={`notice ${notice.tone}`}
            role={notice.tone === 'error' ? 'alert' : 'status'}
            data-testid="notice"
          >
            <span>{notice.text}</span>
            {notice.retry ? (
              <span className="row">
                <button type="button" className="button small primary" onClick={retryPending}>
                  Try again
                </button>
                <button
                  type="button"
                  className="button small ghost"
                  onClick={() => {
                    clearPending();
                    setNotice(undefined);
                  }}
                >
                  Discard
                </button>
              </span>
            ) : null}
          </div>
        ) : null}
        <div className="grid">
          <div className="column">
            <AccountList
              accounts={accounts}
              {...(selected === undefined ? {} : { selected })}
              onSelect={(id) => {
                setSelected(id);
                api.transactions(id).then(setTransactions, () => setTransactions([]));
              }}
            />
            <History {...(account === undefined ? {} : { account })} transactions={transactions} />
          </div>
          <div className="column narrow">
            <TransferForm
              accounts={accounts}
              payees={payees}
              busy={busy}
              onSubmit={(action) => void run(action, 'first')}
            />
            <Payees payees={payees} busy={busy} onAdd={(action) => void run(action, 'first')} />
          </div>
        </div>
      </main>
      <footer className="footer">Stepup Bank is a demonstration. No real money moves.</footer>
      {stepUp ? (
        <StepUpDialog
          action={stepUp.action}
          challenge={stepUp.challenge}
          onContinue={continueStepUp}
          onCancel={() => {
            setStepUp(undefined);
            setNotice({
              tone: 'info',
              text: `${describeActionSentence(stepUp.action)} was not ${stepUp.action.kind === 'transfer' ? 'sent' : 'done'}.`,
            });
          }}
        />
      ) : null}
    </div>
  );
}
