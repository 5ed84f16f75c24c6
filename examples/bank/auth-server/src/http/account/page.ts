import type { RequestHandler } from 'express';
import { accounts } from '../../accounts/store.js';
import { accountPage, accountSignInPage } from '../../views/settings-page.js';
import type { AppContext } from '../context.js';
import { route } from '../shared/json.js';
import { recentSession } from './recent-session.js';

/** `GET /account`: the customer's authenticators, or a sign-in when the last one is not recent. */
export function accountSettingsPage(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const found = await recentSession(app, req);
    res.setHeader('Cache-Control', 'no-store');
    if (!found?.recent) {
      res.type('html').send(accountSignInPage({ again: found !== undefined }));
      return;
    }
    const credentials = await accounts.credentialsOf(app.db, found.account.id);
    res.type('html').send(accountPage({ account: found.account, credentials }));
  });
}
