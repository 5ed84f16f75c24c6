import { useCallback, useMemo, useRef, useState } from 'react';
import { BankApi } from '../api/client.js';
import { SignInRequired } from '../api/errors.js';
import {
  forgetSession,
  freshSession,
  logoutUrl,
  type OAuthContext,
  type Session,
  sessionDpop,
} from '../auth/oauth.js';
import { clearPending } from '../stepup.js';

/**
 * The signed-in session: the API client (refreshing the access token before it expires, proving the
 * session's DPoP key on every call), the session to show, and the two ways out (the session ended; the
 * customer signs out), both of which delete the session's key.
 */
export function useSession(ctx: OAuthContext, initial: Session, onSignedOut: (notice?: string) => void) {
  const session = useRef(initial);
  const refreshing = useRef<Promise<Session | undefined>>(undefined);
  const [shown, setShown] = useState(initial);

  const api = useMemo(
    () =>
      new BankApi(
        ctx.config.apiUrl,
        async () => {
          // One refresh at a time: parallel calls share it (a refresh token is good for one use).
          refreshing.current ??= freshSession(ctx, session.current).finally(() => {
            refreshing.current = undefined;
          });
          const fresh = await refreshing.current;
          if (fresh === undefined) throw new SignInRequired('Your session has ended.');
          if (fresh !== session.current) {
            session.current = fresh;
            setShown(fresh);
          }
          return fresh.accessToken;
        },
        () => sessionDpop(ctx),
      ),
    [ctx],
  );

  const ended = useCallback(() => {
    void forgetSession(ctx).finally(() => onSignedOut('Your session has ended. Please sign in again.'));
  }, [ctx, onSignedOut]);

  const signOut = useCallback(() => {
    const url = logoutUrl(ctx, session.current);
    clearPending();
    // The key is deleted before the page leaves for the logout endpoint.
    void forgetSession(ctx).finally(() => {
      if (url) window.location.assign(url);
      else onSignedOut();
    });
  }, [ctx, onSignedOut]);

  return { api, session: shown, ended, signOut };
}
