// Demo trust: one local metadata statement that lets a newcomer without a hardware key reach the high
// level with the virtual security key of Chrome's DevTools WebAuthn panel. Never on unless asked for.
import type { LocalStatementInput } from '@stepup/mds';

/** The demo trust modes the server knows. */
export const DEMO_TRUST_MODES = ['chrome-virtual-authenticator'] as const;

/** A demo trust mode (`BANK_DEMO_TRUST` on the command line). */
export type DemoTrust = (typeof DEMO_TRUST_MODES)[number];

/** The AAGUID every Chromium virtual authenticator (CDP, DevTools WebAuthn panel) reports. */
export const CHROME_VIRTUAL_AUTHENTICATOR_AAGUID = '01020304-0506-0708-0102-030405060708';

/**
 * One "Batch Certificate" of Chromium's virtual authenticator (`device/fido/virtual_fido_device.cc`,
 * `GenerateAttestationCertificate`), captured from Chromium: self-signed, subject and issuer
 * `C=US, O=Chromium, OU=Authenticator Attestation, CN=Batch Certificate`, key `kAttestationKey` (the
 * example attestation key of the FIDO U2F specification, whose private half is published). Chromium
 * makes a new certificate on every registration (its `notAfter` is "now + 20 years", its ECDSA
 * signature random) but always with that name and key, so every later one is *issued by* this one by
 * name and signature: trusting it as a root is trusting that key. Valid 2017-07-14 to 2046-11-26.
 */
const CHROMIUM_BATCH_CERTIFICATE =
  'MIIB0zCCAXqgAwIBAgIBATAKBggqhkjOPQQDAjBgMQswCQYDVQQGEwJVUzERMA8GA1UECgwIQ2hyb21pdW0xIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24xGjAYBgNVBAMMEUJhdGNoIENlcnRpZmljYXRlMB4XDTE3MDcxNDAyNDAwMFoXDTQ2MTEyNjA5MzYzNlowYDELMAkGA1UEBhMCVVMxETAPBgNVBAoMCENocm9taXVtMSIwIAYDVQQLDBlBdXRoZW50aWNhdG9yIEF0dGVzdGF0aW9uMRowGAYDVQQDDBFCYXRjaCBDZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABI1hfmXJUI5kvMVnOsgqZ5naPBRGaCwljEY//99Y39L6Pmw3i1PXlcSk3/tBme3Xhi8jq68CA7S4kRugVpmU4QGjJTAjMAwGA1UdEwEB/wQCMAAwEwYLKwYBBAGC5RwCAQEEBAMCBSAwCgYIKoZIzj0EAwIDRwAwRAIgTI0OsxSxyQt88xF0OGzfUgpzA4qMlrh4/FAXaTzm4DACIA0oqW2qKerC3fbJV4r7TRLw/360i8M4fMDlE2GlfOOx';

/**
 * The statement of demo mode `chrome-virtual-authenticator`: Chromium's virtual authenticator as a
 * certified (L1) FIDO2 security key with hardware key protection, attested by {@link CHROMIUM_BATCH_CERTIFICATE}.
 * Both claims are false — the key lives in the browser's memory and its attestation private key is
 * public, so anyone can make an attestation that passes — which is why it is demo trust: labelled
 * everywhere, off unless asked for, and outranked by any BLOB entry for that AAGUID. A synced virtual
 * passkey (backup eligible) stays at the standard level: the classification rates BE=1 medium whatever
 * the metadata says.
 */
export const CHROME_VIRTUAL_AUTHENTICATOR_STATEMENT: LocalStatementInput = {
  aaguid: CHROME_VIRTUAL_AUTHENTICATOR_AAGUID,
  metadataStatement: {
    aaguid: CHROME_VIRTUAL_AUTHENTICATOR_AAGUID,
    description: 'Chrome virtual security key (demo trust)',
    protocolFamily: 'fido2',
    schema: 3,
    authenticatorVersion: 1,
    attestationTypes: ['basic_full'],
    attestationRootCertificates: [CHROMIUM_BATCH_CERTIFICATE],
    keyProtection: ['hardware', 'secure_element'],
    matcherProtection: ['on_chip'],
    authenticatorGetInfo: {
      versions: ['FIDO_2_0'],
      aaguid: CHROME_VIRTUAL_AUTHENTICATOR_AAGUID.replaceAll('-', ''),
      options: { rk: true, uv: true },
      transports: ['usb'],
    },
  },
  statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2017-07-14' }],
};

/** The local statements a demo trust mode adds (none without one). */
export function demoTrustStatements(mode: DemoTrust | undefined): LocalStatementInput[] {
  return mode === 'chrome-virtual-authenticator' ? [CHROME_VIRTUAL_AUTHENTICATOR_STATEMENT] : [];
}
