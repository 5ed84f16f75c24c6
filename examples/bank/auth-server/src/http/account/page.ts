import type { RequestHandler } from 'express';
import { mayChangeCredentials } from '../../accounts/credential-rules.js';
import { credentialEvents } from '../../accounts/events.js';
import { accounts } from '../../accounts/store.js';
import { otpFactors } from '../../otp/store.js';
import { addedNotices } from '../../views/notices.js';
import { accountPage, accountSignInPage } from '../../views/settings-page.js';
import { route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { recentSession } from './recent-session.js';

/**
 * `GET /account`: the customer's authenticators, what the session may change (a session below the
 * level the account holds is offered a confirmation with the security key), keys added during their
 * cooling-off period, the recent changes; or a sign-in when the last one is not recent.
 */
export function accountSettingsPage(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const found = await recentSession(app, req);
    const demoTrust = app.demoTrust !== undefined;
    res.setHeader('Cache-Control', 'no-store');
    if (!found?.recent) {
      res.type('html').send(accountSignInPage({ again: found !== undefined, demoTrust }));
      return;
    }
    const now = app.now();
    const credentials = await accounts.credentialsOf(app.db, found.account.id);
    const otp = await otpFactors.of(app.db, found.account.id);
    const rule = mayChangeCredentials({ credentials, otp, sessionAcr: found.acr, now });
    res.type('html').send(
      accountPage({
        account: found.account,
        credentials,
        otp,
        sessionAcr: found.acr,
        stepUpTo: rule.kind === 'step_up' ? rule.required : undefined,
        events: await credentialEvents.recent(app.db, found.account.id),
        notices: addedNotices(credentials, now, otp),
        demoTrust,
        webOrigin: app.webOrigin,
        now,
      }),
    );
  });
}
