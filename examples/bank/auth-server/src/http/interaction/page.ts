import type { RequestHandler } from 'express';
import { addedNotices } from '../../views/notices.js';
import { signInPage } from '../../views/sign-in-page.js';
import type { AppContext } from '../context.js';
import { route } from '../shared/json.js';
import { autoConsent } from './consent.js';
import { loginInteraction } from './login.js';

/**
 * `GET /interaction/:uid`: consent for the bank's own apps is given at once; a login shows the
 * sign-in page, which explains why and what level is needed.
 */
export function interactionPage(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const details = await app.provider.interactionDetails(req, res);
    if (details.prompt.name === 'consent') {
      const result = await autoConsent(app.provider, details);
      res.redirect(
        303,
        await app.provider.interactionResult(req, res, result, { mergeWithLastSubmission: true }),
      );
      return;
    }
    const { required, known, credentials, eligible, high } = await loginInteraction(app, req, res);
    const client = await app.provider.Client.find(String(details.params.client_id));
    res.type('html').send(
      signInPage({
        uid: details.uid,
        clientName: client?.clientName ?? 'the app',
        required,
        reasons: details.prompt.reasons,
        accountName: known?.name,
        hasEligible: eligible === undefined ? undefined : eligible.length > 0,
        high,
        notices: credentials ? addedNotices(credentials, app.now()) : [],
        demoTrust: app.demoTrust !== undefined,
      }),
    );
  });
}
