import type { RequestHandler } from 'express';
import { removeCredential } from '../../accounts/remove-credential.js';
import { route } from '../common/json.js';
import type { AppContext } from '../context.js';
import { requireRecentSession } from './recent-session.js';

/**
 * `POST /account/credentials/:id/delete`: removes one of the customer's authenticators (never the
 * last; one that can still do something only from a session at the level the account holds, see
 * {@link removeCredential}).
 */
export function removeCredentialRoute(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { account, acr } = await requireRecentSession(app, req);
    const removed = await removeCredential({
      db: app.db,
      accountId: account.id,
      credentialId: String(req.params.id),
      sessionAcr: acr,
      now: app.now(),
    });
    app.logger.info('credential.removed', {
      account: account.id,
      credential: removed.id,
      class: removed.class,
      sessionAcr: acr,
    });
    res.json({ removed: removed.id });
  });
}
