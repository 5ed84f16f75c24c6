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
  /** `BASE64URL(signature)`, canonical (checked by `parseCompact`); its bytes: `signatureBytes`. */
  readonly encodedSignature: string;
}

// One buffer, reused, for the bytes a decode or a signature check needs for the length of one
// synchronous call: a `Buffer.from` per segment took a slice of Node's shared pool (a new 8 KiB pool
// every few tokens, external memory for the GC to track), about 1.5 µs of each cold verification.
// Nothing holds a view of it past the call that wrote it.
const SCRATCH = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * Views of a shared buffer by their range, each made once: a `subarray` per decode and per verification
 * was a new Buffer object each time. An issuer's tokens come in a few lengths; past 64 ranges the map
 * starts again, so odd lengths cannot grow it.
 */
class Views {
  readonly #views = new Map<number, Buffer>();
  constructor(readonly buffer: Buffer) {}

  /** `buffer.subarray(start, end)`, for `start` < 256. */
  of(start: number, end: number): Buffer {
    const key = end * 256 + start;
    let view = this.#views.get(key);
    if (view === undefined) {
      if (this.#views.size >= 64) this.#views.clear();
      view = this.buffer.subarray(start, end);
      this.#views.set(key, view);
    }
    return view;
  }
}
const scratchViews = new Views(SCRATCH);

/** The bytes of a base64url segment: a view of `views.buffer`, valid until its next decode. */
function decodeInto(views: Views, segment: string): Buffer {
  const { buffer } = views;
  // The decoded length is at most 3/4 of the characters.
  if (segment.length > buffer.length) return Buffer.from(segment, 'base64url');
  return views.of(0, buffer.write(segment, 0, buffer.length, 'base64url'));
}

// The signature of the compact JWS parsed last, decoded by `parseCompact` and read back by
// `verifyCompact`, most often in the same synchronous call: a `Buffer.from` per token was a new buffer
// and a slice of Node's shared pool for each cold verification. `signatureOwner` says whose bytes these
// are; a JWS verified after another was parsed (its keys were being fetched) is decoded again.
const SIGNATURE = Buffer.allocUnsafeSlow(1024);
const signatureViews = new Views(SIGNATURE);
let signatureOwner: CompactJws | undefined;
let ownerSignature: Buffer = SIGNATURE.subarray(0, 0);

// Fatal on invalid UTF-8, and a leading BOM dropped, exactly as jose decodes JOSE headers and claims.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const malformed = (why: string) =>
  new StepUpError('ERR_TOKEN_MALFORMED', 'The access token is malformed', { cause: new Error(why) });

// The value of each base64url character (RFC 4648 §5), -1 for any other.
const SEXTET = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  SEXTET[c.charCodeAt(0)] = i;

/**
 * The bytes of `segment` when it is the one canonical unpadded base64url form of them (RFC 7515 §2, RFC
 * 4648 §3.5: only the URL-safe alphabet, no `=`, a length that is not 1 mod 4, zero bits in the part of
 * the last character that encodes no data), else `undefined`. Decoders ignore those bits and skip
 * characters outside the alphabet, so without this check one token has many string forms, and a
 * verified-token cache keyed by the string would hold each of them.
 *
 * Decided without a pass of JavaScript over the characters and without allocating (a regular expression
 * cost 1-2 µs per token; encoding the bytes again to compare, 700 bytes of garbage): a segment with
 * a character outside ASCII is refused first (Node's decoder reads only the low byte of a UTF-16 code
 * unit, so `\u0141` would pass for `A`); of ASCII, Node's decoder skips every character outside its
 * alphabet and stops at `=`, so either leaves fewer than ⌊3n/4⌋ bytes for n characters; its alphabet
 * also has base64's `+` and `/`, looked for with `indexOf`; the last character's unused bits are read
 * from its value. A property test holds this to "encoding the bytes again gives back the segment" for
 * any string.
 * `transient`: the bytes are a view of the shared buffer, valid until the next decode.
 */
export function canonicalBytes(segment: string, transient: boolean): Buffer | undefined {
  return canonicalIn(segment, transient ? scratchViews : undefined, false);
}

/**
 * `canonicalBytes`, decoded into `views.buffer` (valid until its next decode), or a new buffer.
 * `ascii`: the caller has checked that every character is ASCII (`parseCompact`, once for the token).
 */
function canonicalIn(segment: string, views: Views | undefined, ascii: boolean): Buffer | undefined {
  const n = segment.length;
  const rest = n & 3;
  if (rest === 1 || (!ascii && !isAscii(segment))) return undefined;
  const bytes = views === undefined ? Buffer.from(segment, 'base64url') : decodeInto(views, segment);
  if (bytes.length !== (n * 3) >> 2 || segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1)
    return undefined;
  // Of the last character's 6 bits, 4 (n = 2 mod 4) or 2 (n = 3 mod 4) encode nothing and must be 0.
  if (rest !== 0 && (SEXTET[segment.charCodeAt(n - 1)]! & (rest === 2 ? 15 : 3)) !== 0) return undefined;
  return bytes;
}

/**
 * Whether every UTF-16 code unit of `s` is ASCII: its UTF-8 length is its length (a lone surrogate
 * counts 3, as its replacement character's encoding).
 */
const isAscii = (s: string) => Buffer.byteLength(s, 'utf8') === s.length;

/**
 * The text of a segment, decoded as jose decodes it (UTF-8, fatal, a leading BOM dropped). The common
 * case, valid UTF-8 without a BOM, takes Node's decoder, which is faster than `TextDecoder` but replaces
 * what is not UTF-8 with U+FFFD instead of failing: a text without U+FFFD and without a leading BOM
 * (U+FEFF) came from valid UTF-8 and is what `TextDecoder` gives; any other (a real U+FFFD included) is
 * decoded again by `TextDecoder`, which fails or drops the BOM. A call of `isUtf8` first cost more than
 * the search.
 */
function text(bytes: Buffer): string {
  const decoded = bytes.toString('utf8');
  return decoded.charCodeAt(0) !== 0xfeff && !decoded.includes('\ufffd') ? decoded : utf8.decode(bytes);
}

function decodeObject(segment: string, what: string, ascii = false): Record<string, unknown> {
  const bytes = canonicalIn(segment, scratchViews, ascii);
  if (bytes === undefined) throw malformed(`the ${what} is not canonical base64url`);
  let value: unknown;
  try {
    value = JSON.parse(text(bytes));
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * Splits a JWS compact serialization (RFC 7515 §7.1) into its decoded parts, strictly: exactly three
 * segments, each canonical base64url (`canonicalBytes`), a header and a payload that are JSON objects in
 * valid UTF-8. Verifies nothing. A token that passes has only base64url characters and two dots, so it
 * is a `b64token` (RFC 6750 §2.1) as well.
 *
 * @throws StepUpError `ERR_TOKEN_MALFORMED`
 */
export function parseCompact(token: string, headers?: HeaderCache): CompactJws {
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (first < 1 || second <= first + 1 || token.indexOf('.', second + 1) !== -1)
    throw malformed('not three segments');
  // Once for the whole token, not per segment: one native call.
  if (!isAscii(token)) throw malformed('a character outside base64url');
  const h = token.slice(0, first);
  const header = headers === undefined ? decodeObject(h, 'header', true) : headers.parse(h);
  const payload = decodeObject(token.slice(first + 1, second), 'payload', true);
  const encodedSignature = token.slice(second + 1);
  const signature = canonicalIn(encodedSignature, signatureViews, true);
  if (signature === undefined) throw malformed('the signature is not canonical base64url');
  const jws = { header, payload, signingInput: token.slice(0, second), encodedSignature };
  signatureOwner = jws;
  ownerSignature = signature;
  return jws;
}

/**
 * The decoded signature of a JWS `parseCompact` returned: a view of a shared buffer, valid until the next
 * `parseCompact` or `signatureBytes`.
 */
export function signatureBytes(jws: CompactJws): Buffer {
  if (signatureOwner !== jws) {
    // Canonical: `parseCompact` checked it.
    ownerSignature = decodeInto(signatureViews, jws.encodedSignature);
    signatureOwner = jws;
  }
  return ownerSignature;
}

// The DER form of an ECDSA signature (`ecdsaToDer`): at most 2 × (2 + 67) bytes of integers (P-521)
// and a 3-byte SEQUENCE header. Written and read within one synchronous `verifyCompact`.
const DER = Buffer.allocUnsafeSlow(2 * (2 + 67) + 3);
const derViews = new Views(DER);

/** Writes one half of an IEEE P1363 signature as a DER INTEGER at `at`; returns the end. */
function derInteger(p1363: Uint8Array, start: number, end: number, at: number): number {
  let first = start;
  while (first < end - 1 && p1363[first] === 0) first++;
  const pad = (p1363[first]! & 0x80) !== 0;
  DER[at++] = 0x02;
  DER[at++] = end - first + (pad ? 1 : 0);
  if (pad) DER[at++] = 0;
  for (let i = first; i < end; i++) DER[at++] = p1363[i]!;
  return at;
}

/**
 * An ECDSA signature `r ‖ s` (IEEE P1363, JWS's form, RFC 7518 §3.4) as the DER `ECDSA-Sig-Value`
 * (RFC 3279 §2.2.3) node:crypto verifies by default, byte for byte what OpenSSL's `i2d_ECDSA_SIG`
 * writes, which is what node:crypto itself does with `dsaEncoding: 'ieee-p1363'`: each integer
 * minimal, positive (a zero byte before a high bit), the SEQUENCE length in the long form past 127
 * (P-521). Why by hand: on Node 24 `verify` with an options object (`{ key, dsaEncoding }`) costs two
 * internal TypeErrors with stack traces (`isKeyObject` and `isCryptoKey` probe the object by throwing),
 * ~70 µs of an ES256 verification on a small machine; with the bare `KeyObject` there are none.
 * A view of `DER`, valid until the next call. The caller has checked the length (even, 2 × the
 * curve's size).
 */
export function ecdsaToDer(p1363: Uint8Array): Buffer {
  const half = p1363.length / 2;
  // Room for the SEQUENCE header, written once the content's length is known.
  const body = half * 2 + 6 > 127 ? 3 : 2;
  const end = derInteger(p1363, half, p1363.length, derInteger(p1363, 0, half, body));
  const length = end - body;
  if (length > 127) {
    DER[0] = 0x30;
    DER[1] = 0x81;
    DER[2] = length;
    return derViews.of(0, end);
  }
  // A short form: the header is 2 bytes, one less than the room left for a long one.
  DER[body - 2] = 0x30;
  DER[body - 1] = length;
  return derViews.of(body - 2, end);
}

/**
 * node:crypto's one-shot `verify` of a compact JWS's signature over its signing input's UTF-8 bytes
 * (RFC 7515 §5.2), synchronous. `jws` is one `parseCompact` returned (ASCII, its signature canonical).
 * `ecdsaLength`: the signature is ECDSA's IEEE P1363 `r ‖ s` of that many bytes, `false` for any other
 * length, and is verified in its DER form (`ecdsaToDer`) with a bare `KeyObject`. `false` when the signature does not verify and when node:crypto refuses the key or input.
 */
export function verifyCompact(
  jws: CompactJws,
  algorithm: string | null,
  key: KeyObject | VerifyKeyObjectInput,
  ecdsaLength?: number,
): boolean {
  const { signingInput } = jws;
  let signature = signatureBytes(jws);
  if (ecdsaLength !== undefined) {
    if (signature.byteLength !== ecdsaLength) return false;
    signature = ecdsaToDer(signature);
  }
  // ASCII (`parseCompact` checked it), so its UTF-8 bytes are its Latin-1 bytes, one per character,
  // which node:crypto writes faster (0.5 against 0.8 µs for an RS256 token's signing input).
  const data =
    signingInput.length > SCRATCH.length
      ? Buffer.from(signingInput, 'latin1')
      : scratchViews.of(0, SCRATCH.write(signingInput, 0, SCRATCH.length, 'latin1'));
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
