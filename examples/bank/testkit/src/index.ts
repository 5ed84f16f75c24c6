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
export {
  attestationVendor,
  b64,
  blobSigner,
  CHROMIUM_ATTESTATION_PUBLIC_POINT,
  CHROMIUM_BATCH_SUBJECT,
  chromiumLikeAttestation,
  type Issued,
  issue,
  mdsEntry,
} from './pki.js';
