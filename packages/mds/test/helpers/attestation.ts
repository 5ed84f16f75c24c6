// WebAuthn registrations built at test time: authenticator data, a COSE credential key (CBOR via
// @simplewebauthn/server's isoCBOR) and a `packed` or `none` attestation statement signed with
// node:crypto. Shaped like Chromium's virtual authenticator output (REFERENCE §8).
import { createHash, KeyObject, randomBytes, sign } from 'node:crypto';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { generateKeys, type Issued, issue } from './pki.js';

export const CHROMIUM_AAGUID = '01020304-0506-0708-0102-030405060708';
export const RP_ID = 'localhost';
export const ORIGIN = 'http://localhost:3000';

export interface Flags {
  up?: boolean;
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
}

export interface RegistrationOptions {
  fmt?: 'packed' | 'none';
  aaguid?: string;
  flags?: Flags;
  /** The attestation chain, leaf first; the leaf's key signs. Absent with `packed`: self attestation. */
  x5c?: Issued[];
}

export interface BuiltRegistration {
  readonly attestationObject: Uint8Array;
  readonly response: RegistrationResponseJSON;
  readonly challenge: string;
}

function flagsByte(f: Flags): number {
  return ((f.up ?? true) ? 0x01 : 0) | (f.uv ? 0x04 : 0) | (f.be ? 0x08 : 0) | (f.bs ? 0x10 : 0) | 0x40;
}

async function coseKey(keys: CryptoKeyPair): Promise<Uint8Array> {
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(x)],
      [-3, new Uint8Array(y)],
    ]),
  );
}

/** Builds a registration as an authenticator would; `response` can go to `verifyRegistrationResponse`. */
export async function buildRegistration(o: RegistrationOptions = {}): Promise<BuiltRegistration> {
  const fmt = o.fmt ?? 'packed';
  const credentialKeys = await generateKeys('EC');
  const credentialId = randomBytes(32);
  const aaguid = Buffer.from((o.aaguid ?? CHROMIUM_AAGUID).replaceAll('-', ''), 'hex');
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length);
  const authData = Buffer.concat([
    createHash('sha256').update(RP_ID).digest(),
    Buffer.from([flagsByte(o.flags ?? { uv: true })]),
    Buffer.alloc(4),
    aaguid,
    idLength,
    credentialId,
    await coseKey(credentialKeys),
  ]);
  const challenge = randomBytes(16).toString('base64url');
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin: ORIGIN }));
  const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]);
  const attStmt = new Map<string, number | Uint8Array | Uint8Array[]>();
  if (fmt === 'packed') {
    const signer = o.x5c?.[0]?.keys.privateKey ?? credentialKeys.privateKey;
    attStmt.set('alg', -7);
    attStmt.set(
      'sig',
      new Uint8Array(sign('sha256', signed, { key: KeyObject.from(signer), dsaEncoding: 'der' })),
    );
    if (o.x5c)
      attStmt.set(
        'x5c',
        o.x5c.map((i) => new Uint8Array(i.cert.rawData)),
      );
  }
  const attestationObject = isoCBOR.encode(
    new Map<string, string | Uint8Array | Map<string, number | Uint8Array | Uint8Array[]>>([
      ['fmt', fmt],
      ['attStmt', attStmt],
      ['authData', new Uint8Array(authData)],
    ]),
  );
  const id = credentialId.toString('base64url');
  const response: RegistrationResponseJSON = {
    id,
    rawId: id,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: clientDataJSON.toString('base64url'),
      attestationObject: Buffer.from(attestationObject).toString('base64url'),
      transports: ['usb'],
    },
  };
  return { attestationObject, response, challenge };
}

/** Chromium's virtual authenticator: one key, a fresh self-signed "Batch Certificate" each time. */
export class ChromiumBatch {
  readonly #keys: CryptoKeyPair;

  private constructor(keys: CryptoKeyPair) {
    this.#keys = keys;
  }

  static async create(): Promise<ChromiumBatch> {
    return new ChromiumBatch(await generateKeys('EC'));
  }

  certificate(): Promise<Issued> {
    return issue({
      subject: 'C=US, O=Chromium, OU=Authenticator Attestation, CN=Batch Certificate',
      keys: this.#keys,
      serialNumber: randomBytes(8)
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
    });
  }
}
