// Headless Debian Chromium through playwright-core, with CDP virtual authenticators (REFERENCE §8).
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

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

const OPTIONS: Record<AuthenticatorKind, Record<string, unknown>> = {
  'security-key': {
    protocol: 'ctap2',
    transport: 'usb',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
  },
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
};

/** A virtual authenticator's credential with its private key (CDP `WebAuthn.Credential`). */
export interface SavedCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
  backupEligibility?: boolean;
  backupState?: boolean;
}

async function readCredentials(
  cdp: CDPSession,
  authenticatorId: string,
): Promise<{ credentials: SavedCredential[] }> {
  return cdp.send('WebAuthn.getCredentials', { authenticatorId });
}

/**
 * One page with one virtual authenticator plugged in at a time (Chromium would otherwise race
 * several for `create()`); each authenticator's credentials survive unplugging.
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

  /** Plugs in `kind` (unplugging the other), with the credentials it had. */
  async use(kind: AuthenticatorKind, credentials?: SavedCredential[]): Promise<void> {
    if (this.current?.kind === kind && !credentials) return;
    await this.unplug();
    const { authenticatorId } = (await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: OPTIONS[kind] as never,
    })) as { authenticatorId: string };
    for (const credential of credentials ?? this.saved.get(kind) ?? []) {
      await this.cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    }
    this.current = { kind, id: authenticatorId };
  }

  async unplug(): Promise<void> {
    if (!this.current) return;
    const { credentials } = await readCredentials(this.cdp, this.current.id);
    this.saved.set(this.current.kind, credentials);
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.current.id });
    this.current = undefined;
  }

  async credentials(kind: AuthenticatorKind): Promise<SavedCredential[]> {
    if (this.current?.kind === kind) await this.unplug().then(() => this.use(kind));
    return this.saved.get(kind) ?? [];
  }
}
