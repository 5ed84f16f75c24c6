import type { RequestHandler } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { z } from 'zod';
import { parseBody, route } from '../common/json.js';
import type { AppContext } from '../context.js';

const Abort = z.object({ reason: z.enum(['cancel', 'unmet']) });

/**
 * `POST /interaction/:uid/abort`: back to the app with `access_denied` (the customer cancelled) or
 * `unmet_authentication_requirements` (the requested level cannot be reached), answered as
 * `{ redirectTo }`. This is what keeps step-up from looping.
 */
export function abortInteraction(app: AppContext): RequestHandler {
  return route(async (req, res) => {
    const { reason } = parseBody(req, Abort, 'Unknown reason.');
    await app.provider.interactionDetails(req, res);
    const result: InteractionResults =
      reason === 'cancel'
        ? { error: 'access_denied', error_description: 'the customer cancelled the sign-in' }
        : {
            error: 'unmet_authentication_requirements',
            error_description: 'the requested authentication level cannot be reached by this customer',
          };
    res.json({
      redirectTo: await app.provider.interactionResult(req, res, result, { mergeWithLastSubmission: false }),
    });
  });
}
