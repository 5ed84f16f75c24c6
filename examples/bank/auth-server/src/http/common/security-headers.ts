import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers of the bank's pages (helmet). The pages have no inline code at all — no inline
 * script, style or event handler: their behaviour is `/assets/bank.js` and the bundled
 * `@simplewebauthn/browser`, their look `/assets/bank.css` — so the content security policy allows
 * scripts and styles from this origin only, with neither nonces nor hashes to keep in step. WebAuthn
 * (`navigator.credentials`) is not governed by CSP. Images: this origin and `data:` (the QR code of an
 * authenticator app). Forms are sent by the page script (`fetch`); the one form the browser submits
 * itself is the sign-out page's, which the provider redirects to the web app: `formActions` lists
 * where a form may lead. Nothing may frame a page (`frame-ancestors 'none'`, `X-Frame-Options: DENY`).
 * helmet's other defaults stay: `no-referrer`, `nosniff`, HSTS, `Cross-Origin-Opener-Policy`, …
 */
export function pageSecurity(formActions: readonly string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'", ...formActions],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
  });
}

/** `X-Content-Type-Options: nosniff` on every answer (helmet's `noSniff`), the provider's included. */
export const noSniff: RequestHandler = helmet.xContentTypeOptions();
