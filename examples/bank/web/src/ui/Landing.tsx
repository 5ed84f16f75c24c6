import { ELEVATED_THRESHOLD, HIGH_VALUE_THRESHOLD, payeeNeeds } from '@stepup-example/contract';
import { type OAuthContext, startAuthorization } from '../auth/oauth.js';
import { useMoney } from './money.js';

/** The signed-out front page. */
export function Landing({ ctx, notice }: { ctx: OAuthContext; notice?: string }) {
  const { format: money } = useMoney();
  const key = payeeNeeds().level.credential;
  return (
    <div className="landing">
      <header className="topbar">
        <div className="topbar-inner">
          <span className="logo">Stepup Bank</span>
        </div>
      </header>
      <main className="landing-main">
        <section className="hero">
          <h1>Banking that knows when to ask twice.</h1>
          <p>
            Sign in with a passkey for everyday banking. Large transfers and new payees are confirmed with
            your security key, so nobody else can move your money.
          </p>
          {notice ? <p className="notice info">{notice}</p> : null}
          <div className="hero-actions">
            <button
              type="button"
              className="button primary large"
              onClick={() => void startAuthorization(ctx)}
            >
              Sign in
            </button>
            <button
              type="button"
              className="button secondary large"
              onClick={() => void startAuthorization(ctx)}
            >
              Open an account
            </button>
          </div>
          <p className="fine">No passwords. Your passkey stays on your device.</p>
        </section>
        <ul className="features">
          <li>
            <strong>Passkeys</strong>
            <span>Sign in with your face, fingerprint or device PIN.</span>
          </li>
          <li>
            <strong>{key.charAt(0).toUpperCase() + key.slice(1)}s for big moves</strong>
            <span>
              Transfers over {money(ELEVATED_THRESHOLD, 'EUR')} need your passkey and a one-time code; over{' '}
              {money(HIGH_VALUE_THRESHOLD, 'EUR')} and new payees, your {key}. You approve each one.
            </span>
          </li>
          <li>
            <strong>Never twice</strong>
            <span>A transfer interrupted by a check or a lost connection is sent exactly once.</span>
          </li>
        </ul>
      </main>
    </div>
  );
}
