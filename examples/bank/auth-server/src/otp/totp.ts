import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** The issuer name authenticator apps show next to the code. */
export const TOTP_ISSUER = 'Stepup Bank';
/** RFC 6238 parameters every authenticator app supports: HMAC-SHA-1, 6 digits, 30-second steps. */
const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Codes of one step before or after the server's current one are accepted (clock drift of the phone). */
const WINDOW = 1;

/** A new random TOTP seed, base32 (160 bits, RFC 4226 §4's recommended length). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app reads from the QR code. */
export function provisioningUri(secret: string, accountName: string): string {
  return new TOTP({
    ...PARAMS,
    issuer: TOTP_ISSUER,
    label: accountName,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/** The QR code of `uri` as an SVG data URL, for an `<img>` (the pages allow `img-src data:`). */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/**
 * The RFC 6238 time step that `code` is valid for at `now` (ms), within one step of drift, or
 * `undefined`. Pure: whether that step was already used is the caller's question (a code is used once).
 */
export function totpStep(secret: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    ...PARAMS,
    token: code,
    secret: Secret.fromBase32(secret),
    timestamp: now,
    window: WINDOW,
  });
  if (delta === null) return undefined;
  return TOTP.counter({ period: PARAMS.period, timestamp: now }) + delta;
}

/** The code of `secret` at `now` (ms): for tests and the e2e suite, which type it as a customer would. */
export function totpCode(secret: string, now: number): string {
  return TOTP.generate({ ...PARAMS, secret: Secret.fromBase32(secret), timestamp: now });
}
