export { type CapturedAttestation, CHROMIUM_AAGUID, captureSecurityKeyAttestation } from './attestation.js';
export {
  type AuthenticatorKind,
  Authenticators,
  CHROMIUM_PATH,
  chromiumAvailable,
  launch,
  requireChromium,
  type SavedCredential,
} from './chromium.js';
export { attestationVendor, b64, blobSigner, type Issued, issue, mdsEntry } from './pki.js';
