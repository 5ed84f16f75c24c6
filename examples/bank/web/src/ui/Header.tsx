import type { Session } from '../auth/oauth.js';
import { levelName } from '../stepup.js';

function ago(authTime: number | undefined, now: number): string {
  if (authTime === undefined) return '';
  const minutes = Math.floor((now / 1000 - authTime) / 60);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** The top bar: the customer, how they signed in (the session's assurance level), settings, sign-out. */
export function Header(props: { session: Session; now: number; settingsUrl: string; onSignOut: () => void }) {
  const { session } = props;
  const level = levelName(session.acr);
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <span className="logo">Stepup Bank</span>
        <div className="session" data-testid="session">
          <span className="who">{session.name ?? 'Customer'}</span>
          <span
            className={`level ${level.high ? 'high' : 'standard'}`}
            data-testid="session-level"
            title="How you signed in: the level decides what you can do without another check."
          >
            {level.high ? 'Security key' : 'Passkey'} · {level.name} level
          </span>
          <span className="since">signed in {ago(session.authTime, props.now)}</span>
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
