import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PendingAction } from '../actions.js';
import type { BankApi } from '../api/client.js';
import {
  ApiError,
  SignInRequired,
  type StepUpChallenge,
  StepUpRequired,
  Unreachable,
} from '../api/errors.js';
import { payeeMutation, transferMutation } from '../api/queries.js';
import { type OAuthContext, startAuthorization } from '../auth/oauth.js';
import type { MoneyFormat } from '../money/format-money.js';
import { clearPending, describeAction, loadPending, notDone, savePending } from '../stepup.js';
import { useMoney } from './money.js';

/** How the last trip to the authorization server ended. */
export type ReturnOutcome = { kind: 'authorized'; steppedUp: boolean } | { kind: 'refused'; error: string };

/** What the notice bar says; `retry` offers *Try again*: after a step-up, or sending the same action again. */
export type Notice = {
  tone: 'success' | 'error' | 'info';
  text: string;
  retry?: { how: 'step-up' } | { how: 'send'; action: PendingAction };
};

/** How an action ended, for the form that asked for it: it clears itself only once it is `done`. */
export type ActionOutcome = 'done' | 'step-up' | 'failed' | 'ended';

function refusedText(error: string): string {
  if (error === 'unmet_authentication_requirements') {
    return 'Your account has nothing yet that can approve it (an authenticator app or a security key). Add one in Security settings, then try again.';
  }
  if (error === 'access_denied') return 'The security check was cancelled.';
  return 'The security check could not be completed.';
}

/** The notice for a failure, saying what is known about whether it happened. */
function failureNotice(error: unknown, action: PendingAction, money: MoneyFormat): Notice {
  if (error instanceof StepUpRequired) {
    return { tone: 'error', text: `The bank still asks for a stronger sign-in. ${notDone(action, money)}` };
  }
  if (error instanceof ApiError) return { tone: 'error', text: `${notDone(action, money)} ${error.message}` };
  const what = describeAction(action, money);
  if (error instanceof Unreachable) {
    const safe = action.kind === 'transfer' ? ' Trying again is safe: it is sent at most once.' : '';
    return {
      tone: 'error',
      text: `We could not reach the bank, so we do not know whether ${what} went through.${safe}`,
      retry: { how: 'send', action },
    };
  }
  return {
    tone: 'error',
    text: `Something went wrong. Reload the page to see whether ${what} went through.`,
  };
}

interface Options {
  ctx: OAuthContext;
  api: BankApi;
  outcome: ReturnOutcome | undefined;
  /** Shows an account's history (the source account, after a transfer). */
  select: (accountId: string) => void;
}

/**
 * Transfers and new payees as TanStack mutations, with RFC 9470 step-up: a challenged action is
 * explained, kept with its idempotency key while the customer steps up, and retried once on return.
 * Never loops.
 */
export function useActions({ ctx, api, outcome, select }: Options) {
  const client = useQueryClient();
  const { format: money } = useMoney();
  const transfer = useMutation(transferMutation(api, client));
  const payee = useMutation(payeeMutation(api, client));
  const [notice, setNotice] = useState<Notice>();
  const [stepUp, setStepUp] = useState<{ action: PendingAction; challenge: StepUpChallenge }>();
  const resumed = useRef(false);
  const { mutateAsync: sendTransfer } = transfer;
  const { mutateAsync: sendPayee } = payee;

  const run = useCallback(
    async (action: PendingAction, attempt: 'first' | 'retry'): Promise<ActionOutcome> => {
      setNotice(undefined);
      try {
        if (action.kind === 'transfer') {
          const done = await sendTransfer(action);
          setNotice({
            tone: 'success',
            text: `Sent ${money(done.amount, done.currency)} to ${action.toName}.`,
          });
          select(action.request.fromAccountId);
        } else {
          const done = await sendPayee(action);
          setNotice({ tone: 'success', text: `${done.name} is now one of your payees.` });
        }
        clearPending();
        return 'done';
      } catch (error) {
        if (error instanceof StepUpRequired && attempt === 'first') {
          setStepUp({ action, challenge: error.challenge });
          return 'step-up';
        }
        // The query client's handler ends the session.
        if (error instanceof SignInRequired) return 'ended';
        clearPending();
        setNotice(failureNotice(error, action, money));
        return 'failed';
      }
    },
    [sendTransfer, sendPayee, money, select],
  );

  // Once, after a return from the authorization server: finish or report the pending action.
  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const pending = loadPending();
    if (pending?.sentAt === undefined || outcome === undefined) return;
    if (outcome.kind === 'refused') {
      setNotice({
        tone: 'error',
        text: `${notDone(pending.action, money)} ${refusedText(outcome.error)}`,
        retry: { how: 'step-up' },
      });
      return;
    }
    setNotice({ tone: 'info', text: `Thanks. Finishing ${describeAction(pending.action, money)}…` });
    void run(pending.action, 'retry');
  }, [run, outcome, money]);

  const continueStepUp = useCallback(() => {
    if (stepUp === undefined) return;
    const { action, challenge } = stepUp;
    const maxAge = challenge.maxAge === undefined ? {} : { maxAge: challenge.maxAge };
    const details =
      challenge.authorizationDetails === undefined
        ? {}
        : { authorizationDetails: [...challenge.authorizationDetails] };
    savePending({ action, acrValues: [...challenge.acrValues], ...maxAge, ...details, sentAt: Date.now() });
    const acr = challenge.acrValues.length > 0 ? { acrValues: challenge.acrValues.join(' ') } : {};
    void startAuthorization(ctx, { ...acr, ...maxAge, ...details });
  }, [ctx, stepUp]);

  const cancelStepUp = useCallback(() => {
    if (stepUp !== undefined) setNotice({ tone: 'info', text: notDone(stepUp.action, money) });
    setStepUp(undefined);
  }, [stepUp, money]);

  const retry = useCallback(() => {
    const how = notice?.retry;
    if (how?.how === 'send') return void run(how.action, 'first');
    const pending = loadPending();
    if (pending === undefined) return setNotice(undefined);
    const maxAge = pending.maxAge === undefined ? {} : { maxAge: pending.maxAge };
    const details =
      pending.authorizationDetails === undefined
        ? {}
        : { authorizationDetails: pending.authorizationDetails };
    setStepUp({ action: pending.action, challenge: { acrValues: pending.acrValues, ...maxAge, ...details } });
  }, [notice, run]);

  const discard = useCallback(() => {
    clearPending();
    setNotice(undefined);
  }, []);

  return {
    notice,
    stepUp,
    sending: transfer.isPending,
    adding: payee.isPending,
    run,
    continueStepUp,
    cancelStepUp,
    retry,
    discard,
  };
}
