import { z } from 'zod';

/**
 * What the web client reads from `/config.json` at start-up, so that one build runs anywhere. The web
 * server checks it when it starts, the browser app when it loads it.
 */
export const WebConfig = z.strictObject({
  /** The authorization server's issuer, e.g. `http://localhost:4000`. */
  issuer: z.url({ protocol: /^https?$/ }),
  /** The public OAuth client, `bank-web`. */
  clientId: z.string().min(1),
  /** The bank API's base URL, e.g. `http://localhost:4001`. */
  apiUrl: z.url({ protocol: /^https?$/ }),
  /** The API's resource indicator (RFC 8707): the audience of its access tokens. */
  apiResource: z.url(),
  /** Scopes the app asks for, space-separated. */
  scope: z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/),
});
/** The web client's configuration. */
export type WebConfig = z.output<typeof WebConfig>;
