import { useEffect, useRef } from 'react';
import type { PendingAction } from '../actions.js';
import type { StepUpChallenge } from '../api/errors.js';
import { describeAction, describeApproval, explain } from '../stepup.js';
import { useMoney } from './money.js';

/** Explains a step-up before leaving for the authorization server. */
export function StepUpDialog(props: {
  action: PendingAction;
  challenge: StepUpChallenge;
  /** How the session signed in (ID token `acr`), to say what is missing. */
  sessionAcr: string | undefined;
  onContinue: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { format: money } = useMoney();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const { title, text, continueLabel } = explain(props.action, props.challenge, {
    money,
    sessionAcr: props.sessionAcr,
  });
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="stepup-title"
      aria-describedby="stepup-reason"
      data-testid="step-up"
      onCancel={props.onCancel}
    >
      <svg className="dialog-icon" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="8" cy="12" r="4.5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path
          d="M12.5 12H21m-3 0v3m-3-3v2"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
        />
      </svg>
      <h2 id="stepup-title">{title}</h2>
      <p id="stepup-reason" data-testid="step-up-reason">
        {text}
      </p>
      {props.challenge.authorizationDetails?.map((detail) => (
        <p className="approval" key={JSON.stringify(detail)} data-testid="step-up-approval">
          You will approve: <strong>{describeApproval(detail, money)}</strong>, once.
        </p>
      ))}
      <p className="muted">
        Nothing has been sent yet. We will take you to Stepup Bank sign-in. When you are back, we finish{' '}
        <strong>{describeAction(props.action, money)}</strong> for you. It will only happen once.
      </p>
      <div className="row end">
        <button type="button" className="button ghost" onClick={props.onCancel}>
          Not now
        </button>
        <button type="button" className="button primary" onClick={props.onContinue}>
          {continueLabel}
        </button>
      </div>
    </dialog>
  );
}
