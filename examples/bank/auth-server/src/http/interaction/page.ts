import type { RequestHandler } from 'express';
import { addedNotices } from '../../views/notices.js';
import { signInPage } from '../../views/sign-in-page.js';
import { route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { autoConsent } from './consent.js';
import { loginInteraction } from './login.js';

/**
 * `GET /interaction/:uid`: consent for the bank's own apps is given at once; a login shows the
 * sign-in page, which explains why, what level is needed, the transfer to approve (if any) and the
 * next factor.
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
    const { required, approval, known, credentials, otp, step } = await loginInteraction(app, req, res);
    const client = await app.provider.Client.find(String(details.params.client_id));
    res.type('html').send(
      signInPage({
        uid: details.uid,
        clientName: client?.clientName ?? 'the app',
        required,
        reasons: details.prompt.reasons,
        accountName: known?.name,
        step,
        approval,
        notices: credentials ? addedNotices(credentials, app.now(), otp) : [],
        demoTrust: app.demoTrust !== undefined,
      }),
    );
  });
}
