import { isUtf8 } from 'node:buffer';
import { type KeyObject, type VerifyKeyObjectInput, verify } from 'node:crypto';
import { StepUpError } from '../errors.js';

/** A compact JWS split and decoded, nothing verified yet. */
export interface CompactJws {
  /** The protected header, a JSON object. */
  readonly header: Readonly<Record<string, unknown>>;
  /** The payload, a JSON object (a JWT claims set). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** `BASE64URL(header) "." BASE64URL(payload)`, the JWS signing input (RFC 7515 §5.2). */
  readonly signingInput: string;
  /** The signature, still base64url (canonical): `verifyCompact` decodes it. */
  readonly encodedSignature: string;
}

// One buffer, reused, for the bytes a decode or a signature check needs for the length of one
// synchronous call: a `Buffer.from` per segment took a slice of Node's shared pool (a new 8 KiB pool
// every few tokens, external memory for the GC to track), about 1.5 µs of each cold verification.
// Nothing holds a view of it past the call that wrote it.
const SCRATCH = Buffer.allocUnsafeSlow(64 * 1024);

/** The bytes of a base64url segment: a view of `SCRATCH`, valid until the next decode. */
function decodeTransient(segment: string): Buffer {
  // The decoded length is at most 3/4 of the characters.
  if (segment.length > SCRATCH.length) return Buffer.from(segment, 'base64url');
  return SCRATCH.subarray(0, SCRATCH.write(segment, 0, SCRATCH.length, 'base64url'));
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// The 6-bit value of each base64url character by char code (-1: not one), to check the bits a final
// character leaves unused. A typed array: a keyed lookup in an object of 64 keys is megamorphic.
const VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  VALUE[c.charCodeAt(0)] = i;

// Fatal on invalid UTF-8, and a leading BOM dropped, exactly as jose decodes JOSE headers and claims.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const malformed = (why: string) =>
  new StepUpError('ERR_TOKEN_MALFORMED', 'The access token is malformed', { cause: new Error(why) });

/**
 * Whether `segment` is the one canonical unpadded base64url form of its bytes (RFC 7515 §2, RFC 4648
 * §3.5): only the URL-safe alphabet, no `=`, a length that is not 1 mod 4, and zero bits in the part of
 * the last character that encodes no data. Decoders ignore those bits, so without this check one token
 * has up to 16 string forms, and a verified-token cache keyed by the string would hold each of them.
 */
export function isCanonicalBase64url(segment: string): boolean {
  return BASE64URL.test(segment) && hasCanonicalEnd(segment);
}

/** The length and final-character rules of `isCanonicalBase64url`, for a segment of the right alphabet. */
function hasCanonicalEnd(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const code = segment.charCodeAt(segment.length - 1);
  const last = code < 128 ? VALUE[code]! : -1;
  return last >= 0 && (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/**
 * The text of a segment, decoded as jose decodes it (UTF-8, fatal, a leading BOM dropped). The common
 * case, valid UTF-8 without a BOM, takes Node's native check and decoder, a little faster than
 * `TextDecoder` on the cold path.
 */
function text(bytes: Buffer): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return !bom && isUtf8(bytes) ? bytes.toString('utf8') : utf8.decode(bytes);
}

function decodeObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text(decodeTransient(segment)));
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Splits a JWS compact serialization (RFC 7515 §7.1) into its decoded parts, strictly: exactly three
 * segments, each canonical base64url, a header and a payload that are JSON objects in valid UTF-8.
 * Verifies nothing.
 *
 * `token` must be a `b64token` (RFC 6750 §2.1: `[A-Za-z0-9-._~+/]+ *"="`), as `extractBearerToken`
 * guarantees: the characters a b64token has beyond base64url are then refused with four native scans
 * instead of a second regular-expression pass over the whole token (the cold path's cost matters).
 *
 * @throws StepUpError `ERR_TOKEN_MALFORMED`
 */
export function parseCompact(token: string, headers?: HeaderCache): CompactJws {
  if (token.includes('~') || token.includes('+') || token.includes('/') || token.includes('='))
    throw malformed('not base64url');
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (first < 1 || second <= first + 1 || token.indexOf('.', second + 1) !== -1)
    throw malformed('not three segments');
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!hasCanonicalEnd(h) || !hasCanonicalEnd(p) || !hasCanonicalEnd(s))
    throw malformed('a segment is not canonical base64url');
  return {
    header: headers === undefined ? decodeObject(h, 'header') : headers.parse(h),
    payload: decodeObject(p, 'payload'),
    signingInput: token.slice(0, second),
    encodedSignature: s,
  };
}

/**
 * node:crypto's one-shot `verify` of a compact JWS's signature over its signing input's UTF-8 bytes
 * (RFC 7515 §5.2), synchronous. `false` when the signature does not verify, when `signatureLength` is
 * given and the decoded signature has another length, and when node:crypto refuses the key or input.
 */
export function verifyCompact(
  jws: CompactJws,
  algorithm: string | null,
  key: KeyObject | VerifyKeyObjectInput,
  signatureLength?: number,
): boolean {
  const { signingInput, encodedSignature } = jws;
  let data: Buffer;
  let signature: Buffer;
  // At most 3 UTF-8 bytes per character of the input (a b64token has 1), 3/4 of a byte per signature's.
  if (signingInput.length * 3 + encodedSignature.length > SCRATCH.length) {
    data = Buffer.from(signingInput, 'utf8');
    signature = Buffer.from(encodedSignature, 'base64url');
  } else {
    const end = SCRATCH.write(signingInput, 0, SCRATCH.length, 'utf8');
    data = SCRATCH.subarray(0, end);
    signature = SCRATCH.subarray(
      end,
      end + SCRATCH.write(encodedSignature, end, SCRATCH.length - end, 'base64url'),
    );
  }
  if (signatureLength !== undefined && signature.byteLength !== signatureLength) return false;
  try {
    return verify(algorithm, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * Parsed protected headers by their exact encoded form: an issuer's tokens share a handful of headers,
 * so each is decoded once. Entries are frozen (tokens share them); the cache empties when full.
 */
export class HeaderCache {
  readonly #parsed = new Map<string, Readonly<Record<string, unknown>>>();
  // The last header asked for: most tokens share it, and comparing strings costs less than hashing one.
  #lastSegment = '';
  #last: Readonly<Record<string, unknown>> | undefined;
  constructor(readonly max = 256) {}

  parse(segment: string): Readonly<Record<string, unknown>> {
    if (segment === this.#lastSegment && this.#last !== undefined) return this.#last;
    let header = this.#parsed.get(segment);
    if (header === undefined) {
      header = Object.freeze(decodeObject(segment, 'header'));
      if (this.#parsed.size >= this.max) this.#parsed.clear();
      this.#parsed.set(segment, header);
    }
    this.#lastSegment = segment;
    this.#last = header;
    return header;
  }
}
