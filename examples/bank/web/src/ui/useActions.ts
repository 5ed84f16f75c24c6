import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  type BankApi,
  SignInRequired,
  type StepUpChallenge,
  StepUpRequired,
} from '../api/client.js';
import { type OAuthContext, startAuthorization } from '../auth/oauth.js';
import { formatMoney } from '../money.js';
import {
  clearPending,
  describeAction,
  describeActionSentence,
  loadPending,
  type PendingAction,
  savePending,
} from '../stepup.js';

/** How the last trip to the authorization server ended. */
export type ReturnOutcome = { kind: 'authorized'; steppedUp: boolean } | { kind: 'refused'; error: string };

export type Notice = { tone: 'success' | 'error' | 'info'; text: string; retry?: boolean };

function refusedText(error: string): string {
  if (error === 'unmet_authentication_requirements') {
    return 'Your account has no security key that can approve it. Add one in Security settings, then try again.';
  }
  if (error === 'access_denied') return 'The security check was cancelled.';
  return 'The security check could not be completed.';
}

const notDone = (action: PendingAction) =>
  `${describeActionSentence(action)} was not ${action.kind === 'transfer' ? 'sent' : 'done'}.`;

interface Options {
  ctx: OAuthContext;
  api: BankApi;
  outcome: ReturnOutcome | undefined;
  /** Reloads the accounts, showing the given one. */
  load: (accountId?: string) => Promise<void>;
  selected: string | undefined;
  ended: () => void;
}

/**
 * Transfers and new payees, with RFC 9470 step-up: a challenged action is explained, kept with its
 * idempotency key while the customer steps up, and retried once on return. Never loops.
 */
export function useActions({ ctx, api, outcome, load, selected, ended }: Options) {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [stepUp, setStepUp] = useState<{ action: PendingAction; challenge: StepUpChallenge }>();
  const resumed = useRef(false);

  const done = useCallback(
    async (action: PendingAction) => {
      if (action.kind === 'transfer') {
        const transfer = await api.transfer(action.request, action.key);
        setNotice({
          tone: 'success',
          text: `Sent ${formatMoney(transfer.amount, transfer.currency)} to ${action.toName}.`,
        });
        await load(action.request.fromAccountId);
      } else {
        const payee = await api.addPayee(action.request);
        setNotice({ tone: 'success', text: `${payee.name} is now one of your payees.` });
        await load(selected);
      }
    },
    [api, load, selected],
  );

  const run = useCallback(
    async (action: PendingAction, attempt: 'first' | 'retry') => {
      setBusy(true);
      setNotice(undefined);
      try {
        await done(action);
        clearPending();
      } catch (error) {
        if (error instanceof StepUpRequired && attempt === 'first')
          return setStepUp({ action, challenge: error.challenge });
        if (error instanceof SignInRequired) return ended();
        clearPending();
        if (error instanceof StepUpRequired) {
          setNotice({
            tone: 'error',
            text: `Still not enough to approve ${describeAction(action)}: nothing was sent.`,
          });
        } else {
          setNotice({
            tone: 'error',
            text: error instanceof ApiError ? error.message : 'Something went wrong. Nothing was sent.',
          });
        }
      } finally {
        setBusy(false);
      }
    },
    [done, ended],
  );

  // Once, after a return from the authorization server: finish or report the pending action.
  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const pending = loadPending();
    void (async () => {
      try {
        await load();
      } catch (error) {
        if (error instanceof SignInRequired) return ended();
        setNotice({ tone: 'error', text: 'Your accounts could not be loaded. Please reload the page.' });
      }
      if (pending?.sentAt === undefined || outcome === undefined) return;
      if (outcome.kind === 'refused') {
        return setNotice({
          tone: 'error',
          text: `${notDone(pending.action)} ${refusedText(outcome.error)}`,
          retry: true,
        });
      }
      setNotice({ tone: 'info', text: `Thanks. Finishing ${describeAction(pending.action)}…` });
      await run(pending.action, 'retry');
    })();
  }, [load, run, ended, outcome]);

  const continueStepUp = useCallback(() => {
    if (stepUp === undefined) return;
    const { action, challenge } = stepUp;
    const maxAge = challenge.maxAge === undefined ? {} : { maxAge: challenge.maxAge };
    savePending({ action, acrValues: [...challenge.acrValues], ...maxAge, sentAt: Date.now() });
    const acr = challenge.acrValues.length > 0 ? { acrValues: challenge.acrValues.join(' ') } : {};
    void startAuthorization(ctx, { ...acr, ...maxAge });
  }, [ctx, stepUp]);

  const cancelStepUp = useCallback(() => {
    if (stepUp !== undefined) setNotice({ tone: 'info', text: notDone(stepUp.action) });
    setStepUp(undefined);
  }, [stepUp]);

  const retryPending = useCallback(() => {
    const pending = loadPending();
    if (pending === undefined) return setNotice(undefined);
    const maxAge = pending.maxAge === undefined ? {} : { maxAge: pending.maxAge };
    setStepUp({ action: pending.action, challenge: { acrValues: pending.acrValues, ...maxAge } });
  }, []);

  const discardPending = useCallback(() => {
    clearPending();
    setNotice(undefined);
  }, []);

  return { busy, notice, stepUp, run, continueStepUp, cancelStepUp, retryPending, discardPending };
}
