/** The WebAuthn relying party: the bank's sign-in pages. */
export interface RelyingParty {
  /** RP ID: the host of the pages (`localhost`). */
  id: string;
  name: string;
  /** The exact origin the pages are served from (`http://localhost:4000`). */
  origin: string;
}
