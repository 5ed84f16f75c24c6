import type { VerifiedRegistrationResponse } from '@simplewebauthn/server';
import {
  convertAAGUIDToString,
  decodeAttestationObject,
  parseAuthenticatorData,
} from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { MdsError } from '../errors.js';
import { keyIdentifier, parseCertificate, type X509Certificate } from '../pki/certificates.js';

/** `registrationInfo` of `@simplewebauthn/server`'s `verifyRegistrationResponse`. */
export type RegistrationInfo = NonNullable<VerifiedRegistrationResponse['registrationInfo']>;

/**
 * What `classifyRegistration` reads: a verified registration, or a raw attestation object from a
 * registration already verified; and the device's firmware version when you know it (an inventory, an
 * enterprise record), which is the only thing that lets an `UPDATE_AVAILABLE` clear a compromise.
 */
export type ClassifyInput = ({ registrationInfo: RegistrationInfo } | { attestationObject: Uint8Array }) & {
  authenticatorVersion?: number | undefined;
};

/** Authenticator data flags (WebAuthn §6.1). */
export interface AuthenticatorFlags {
  readonly up: boolean;
  readonly uv: boolean;
  readonly be: boolean;
  readonly bs: boolean;
}

/** The facts an attestation object carries. */
export interface AttestationFacts {
  readonly fmt: string;
  readonly aaguid: string;
  readonly flags: AuthenticatorFlags;
  readonly x5c: readonly X509Certificate[];
  /** Key identifier of `x5c[0]` (hex SHA-1), the U2F metadata lookup key. */
  readonly keyId: string | undefined;
  readonly authenticatorVersion: number | undefined;
}

const authenticatorVersion = z.number().int().nonnegative().optional();
const inputSchema = z.union([
  z.strictObject({
    registrationInfo: z.looseObject({
      attestationObject: z.instanceof(Uint8Array),
      fmt: z.string().optional(),
      aaguid: z.string().optional(),
    }),
    authenticatorVersion,
  }),
  z.strictObject({ attestationObject: z.instanceof(Uint8Array), authenticatorVersion }),
]);

/**
 * Decodes an attestation object with `@simplewebauthn/server`'s CBOR and authData helpers.
 * With `registrationInfo`, its `fmt` and `aaguid` must match the attestation object's.
 *
 * Does NOT verify the attestation signature: `verifyRegistrationResponse` did that for
 * `registrationInfo`; a raw attestation object must come from a registration already verified.
 */
export async function readAttestation(input: ClassifyInput): Promise<AttestationFacts> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw malformed('input must hold registrationInfo or attestationObject', parsed.error);
  const data = parsed.data;
  const info = 'registrationInfo' in data ? data.registrationInfo : undefined;
  const bytes = 'registrationInfo' in data ? data.registrationInfo.attestationObject : data.attestationObject;
  const facts = await decode(new Uint8Array(bytes), data.authenticatorVersion);
  if (info?.fmt !== undefined && info.fmt !== facts.fmt) throw malformed('registrationInfo.fmt differs');
  if (info?.aaguid !== undefined && info.aaguid.toLowerCase() !== facts.aaguid) {
    throw malformed('registrationInfo.aaguid differs');
  }
  return facts;
}

async function decode(
  bytes: Uint8Array<ArrayBuffer>,
  version: number | undefined,
): Promise<AttestationFacts> {
  let fmt: unknown;
  let x5cRaw: unknown;
  let auth: ReturnType<typeof parseAuthenticatorData>;
  try {
    const object = decodeAttestationObject(bytes);
    fmt = object.get('fmt');
    x5cRaw = object.get('attStmt').get('x5c');
    auth = parseAuthenticatorData(new Uint8Array(object.get('authData')));
  } catch (cause) {
    throw malformed('attestation object cannot be decoded', cause);
  }
  if (typeof fmt !== 'string') throw malformed('attestation object has no fmt');
  if (!auth.aaguid) throw malformed('authenticator data has no attested credential data');
  const x5c = parseX5c(x5cRaw);
  return {
    fmt,
    aaguid: convertAAGUIDToString(auth.aaguid),
    flags: { up: auth.flags.up, uv: auth.flags.uv, be: auth.flags.be, bs: auth.flags.bs },
    x5c,
    keyId: x5c[0] ? await keyIdentifier(x5c[0]) : undefined,
    authenticatorVersion: version,
  };
}

function parseX5c(raw: unknown): X509Certificate[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw malformed('attStmt.x5c is not an array');
  return raw.map((der: unknown) => {
    const cert = der instanceof Uint8Array ? parseCertificate(der) : undefined;
    if (!cert) throw malformed('attStmt.x5c holds a value that is not a certificate');
    return cert;
  });
}

function malformed(message: string, cause?: unknown): MdsError {
  return new MdsError('ERR_ATTESTATION_MALFORMED', message, { cause });
}
