// A software WebAuthn authenticator for Node tests: real P-256 keys and signatures (node:crypto),
// CBOR through @simplewebauthn/server's isoCBOR. It answers the server's JSON options exactly as
// a browser would after navigator.credentials.create()/get().
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest();

export interface SoftCredential {
  id: string;
  key: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface SoftAuthenticatorOptions {
  aaguid?: string;
  /** BE (and BS) flags: a synced passkey. */
  backupEligible: boolean;
  userVerified?: boolean;
  /** Packed full attestation with this certificate chain (leaf first, DER) and leaf key. */
  attestation?: { chain: Uint8Array[]; key: KeyObject };
  /** Keep the counter at 0 (as synced passkeys do); default false: counts up from 1. */
  zeroCounter?: boolean;
  transports?: string[];
}

function coseKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(String(jwk.x), 'base64url')],
      [-3, Buffer.from(String(jwk.y), 'base64url')],
    ]),
  );
}

function counterBytes(counter: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(counter);
  return buf;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  readonly aaguid: string;

  constructor(readonly options: SoftAuthenticatorOptions) {
    this.aaguid = options.aaguid ?? '00000000-0000-0000-0000-000000000000';
  }

  private flags(attested: boolean): number {
    const { backupEligible, userVerified = true } = this.options;
    return 0x01 | (userVerified ? 0x04 : 0) | (backupEligible ? 0x18 : 0) | (attested ? 0x40 : 0);
  }

  register(options: PublicKeyCredentialCreationOptionsJSON, origin: string): RegistrationResponseJSON {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(32);
    const credential = { id: b64u(id), key: privateKey, rpId, userHandle: options.user.id, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(true)]),
      counterBytes(0),
      Buffer.from(this.aaguid.replaceAll('-', ''), 'hex'),
      idLength,
      id,
      coseKey(privateKey),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }),
    );
    const { attestation } = this.options;
    const attStmt = attestation
      ? new Map<string, unknown>([
          ['alg', -7],
          ['sig', sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), attestation.key)],
          ['x5c', attestation.chain],
        ])
      : new Map<string, unknown>();
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', attestation ? 'packed' : 'none'],
        ['attStmt', attStmt],
        ['authData', authData],
      ]) as never,
    );
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestationObject),
        transports: (this.options.transports ??
          (this.options.backupEligible ? ['internal', 'hybrid'] : ['usb'])) as never,
      },
      clientExtensionResults: {},
      authenticatorAttachment: this.options.backupEligible ? 'platform' : 'cross-platform',
    };
  }

  /** Answers a get() with the credential `id` (default: the first one allowed, or the first one). */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    pick?: { id?: string; counter?: number },
  ): AuthenticationResponseJSON {
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential =
      this.credentials.find((c) => c.id === pick?.id) ??
      this.credentials.find((c) => allowed.size === 0 || allowed.has(c.id));
    if (!credential) throw new Error('NotAllowedError: no matching credential');
    credential.counter = pick?.counter ?? (this.options.zeroCounter ? 0 : credential.counter + 1);
    const authData = Buffer.concat([
      sha256(options.rpId ?? credential.rpId),
      Buffer.from([this.flags(false)]),
      counterBytes(credential.counter),
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }),
    );
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.key);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
    };
  }
}

/** A PKCS#8 DER private key (from @peculiar/x509 / WebCrypto) as a node KeyObject. */
export function keyObject(pkcs8: ArrayBuffer): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
}
