import { createHmac, timingSafeEqual } from 'node:crypto';

/** Issues and checks DPoP nonces (RFC 9449 §9). */
export interface NonceSource {
  /** The nonce of the current window (computed once per window). */
  current(): string;
  /** `current` for this window's nonce, `previous` for the last window's, else `invalid`. */
  check(nonce: unknown): 'current' | 'previous' | 'invalid';
}

/**
 * Stateless server nonces: the nonce of time window `w` (of `lifetime` seconds) is
 * base64url(HMAC-SHA256(secret, "stepup-dpop-nonce:" w)). Nothing is stored, so every instance given
 * the same secret issues and accepts the same nonces, and a restart forgets nothing. A nonce is
 * accepted during its window and the next one (between `lifetime` and twice that after issue); a
 * client that sends the previous window's nonce gets the new one in `DPoP-Nonce` with its answer.
 * A nonce is not single-use: replays are stopped by the proof's `jti` (the replay store).
 */
export function createNonceSource(
  secret: string | Uint8Array,
  lifetime: number,
  now: () => number,
): NonceSource {
  const key = typeof secret === 'string' ? Buffer.from(secret) : Buffer.from(secret);
  const memo = new Map<number, Buffer>();
  const mac = (window: number): Buffer => {
    let value = memo.get(window);
    if (value === undefined) {
      value = createHmac('sha256', key).update(`stepup-dpop-nonce:${window}`).digest();
      if (memo.size >= 4) memo.clear();
      memo.set(window, value);
    }
    return value;
  };
  const windowOf = () => Math.floor(now() / 1000 / lifetime);
  const equals = (nonce: string, window: number) => {
    const expected = mac(window);
    const given = Buffer.from(nonce, 'base64url');
    return (
      given.length === expected.length &&
      timingSafeEqual(given, expected) &&
      nonce === expected.toString('base64url')
    );
  };
  return {
    current: () => mac(windowOf()).toString('base64url'),
    check(nonce) {
      if (typeof nonce !== 'string' || nonce.length !== 43) return 'invalid';
      const window = windowOf();
      if (equals(nonce, window)) return 'current';
      return equals(nonce, window - 1) ? 'previous' : 'invalid';
    },
  };
}
