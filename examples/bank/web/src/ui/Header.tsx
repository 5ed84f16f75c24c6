import type { Session } from '../auth/oauth.js';
import { levelBadge } from '../stepup.js';

function ago(authTime: number, now: number): string {
  const minutes = Math.floor((now / 1000 - authTime) / 60);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/**
 * The top bar: the customer, how they signed in (the session's level, in the contract's words, with
 * what it allows in visible text), settings, sign-out.
 */
export function Header(props: { session: Session; now: number; settingsUrl: string; onSignOut: () => void }) {
  const { session } = props;
  const badge = levelBadge(session.acr);
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <span className="logo">Stepup Bank</span>
        <div className="session" data-testid="session">
          <span className="who">{session.name ?? 'Customer'}</span>
          <span
            className={`level ${badge.level}`}
            data-testid="session-level"
            aria-describedby="session-level-explained"
          >
            {badge.label}
          </span>
          {session.authTime === undefined ? null : (
            <span className="since">signed in {ago(session.authTime, props.now)}</span>
          )}
          <span
            className="level-explained"
            id="session-level-explained"
            data-testid="session-level-explained"
          >
            {badge.description}
          </span>
        </div>
        <nav className="topnav">
          <a href={props.settingsUrl} className="navlink">
            Security settings
          </a>
          <button type="button" className="navlink" onClick={props.onSignOut}>
            Sign out
          </button>
        </nav>
      </div>
    </header>
  );
}
