// Headless Debian Chromium through playwright-core, with CDP virtual authenticators (REFERENCE §8).
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { z } from 'zod';

/** Where Chromium is looked for: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** Throws when Chromium is missing: call it first in a browser suite's `beforeAll`. */
export function requireChromium(): void {
  if (!chromiumAvailable) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
}

export type AuthenticatorKind = 'security-key' | 'synced-passkey';

const OPTIONS = {
  // BE=0: a device-bound key on USB.
  'security-key': {
    protocol: 'ctap2',
    transport: 'usb',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
  },
  // BE=1, BS=1: a platform passkey synced by its provider.
  'synced-passkey': {
    protocol: 'ctap2',
    transport: 'internal',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
    defaultBackupEligibility: true,
    defaultBackupState: true,
  },
} as const;

const Credential = z.looseObject({ credentialId: z.string(), privateKey: z.string(), signCount: z.number() });
/** A virtual authenticator's credential with its private key (CDP `WebAuthn.Credential`). */
export type SavedCredential = z.output<typeof Credential>;
const Credentials = z.object({ credentials: z.array(Credential) });
const Added = z.object({ authenticatorId: z.string() });

/**
 * The authenticators of one page, one plugged in at a time (Chromium would race several for
 * `create()`); each one keeps its credentials while unplugged, like a key in a drawer.
 */
export class Authenticators {
  private current: { kind: AuthenticatorKind; id: string } | undefined;
  private readonly saved = new Map<AuthenticatorKind, SavedCredential[]>();

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(context: BrowserContext, page: Page): Promise<Authenticators> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    return new Authenticators(cdp);
  }

  /** Plugs in `kind` alone, with the credentials it had (or `credentials`); a no-op when it is in already. */
  async use(kind: AuthenticatorKind, credentials?: SavedCredential[]): Promise<void> {
    if (this.current?.kind === kind && credentials === undefined) return;
    await this.unplug();
    const added = Added.parse(
      await this.cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...OPTIONS[kind] } }),
    );
    for (const credential of credentials ?? this.saved.get(kind) ?? []) {
      await this.cdp.send('WebAuthn.addCredential', {
        authenticatorId: added.authenticatorId,
        credential: credential as never,
      });
    }
    this.current = { kind, id: added.authenticatorId };
  }

  async unplug(): Promise<void> {
    if (this.current === undefined) return;
    const { credentials } = Credentials.parse(
      await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.current.id }),
    );
    this.saved.set(this.current.kind, credentials);
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.current.id });
    this.current = undefined;
  }

  /** The credentials `kind` holds now. */
  async credentials(kind: AuthenticatorKind): Promise<SavedCredential[]> {
    if (this.current?.kind === kind) {
      await this.unplug();
      await this.use(kind);
    }
    return this.saved.get(kind) ?? [];
  }
}
