import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import type { Authenticators } from './chromium.js';

/** What {@link captureSecurityKeyAttestation} read from the throwaway credential's attestation. */
export interface CapturedAttestation {
  /** The attestation statement format (Chromium's virtual keys use `packed`). */
  readonly fmt: unknown;
  /** The first certificate of `x5c` (the batch certificate), standard base64. */
  readonly certificate: string;
}

/** The AAGUID of Chromium's CDP virtual authenticators (a test MDS entry names it). */
export const CHROMIUM_AAGUID = '01020304-0506-0708-0102-030405060708';

const X5c = z.array(z.instanceof(Uint8Array)).min(1);

/**
 * Plugs in the virtual security key, opens `url` (any page on `localhost`) and registers a throwaway
 * credential there with direct attestation, to learn the certificate Chromium's virtual security keys
 * use in this run (a test MDS BLOB can then vouch for it). Checks only that `x5c` holds certificates,
 * not what they say; the credential stays on the key (plug in a fresh one with `use(kind, [])`).
 */
export async function captureSecurityKeyAttestation(
  page: Page,
  auth: Authenticators,
  url: string,
): Promise<CapturedAttestation> {
  await auth.use('security-key');
  await page.goto(url);
  const attestationObject = await page.evaluate(async () => {
    const credential = (await navigator.credentials.create({
      publicKey: {
        rp: { id: 'localhost', name: 'capture' },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'capture', displayName: 'capture' },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        attestation: 'direct',
      },
    })) as PublicKeyCredential;
    return Array.from(
      new Uint8Array((credential.response as AuthenticatorAttestationResponse).attestationObject),
    );
  });
  const decoded = isoCBOR.decodeFirst<Map<string, unknown>>(Uint8Array.from(attestationObject));
  const statement = decoded.get('attStmt');
  const x5c = X5c.parse(statement instanceof Map ? statement.get('x5c') : undefined);
  return { fmt: decoded.get('fmt'), certificate: Buffer.from(x5c[0]!).toString('base64') };
}
