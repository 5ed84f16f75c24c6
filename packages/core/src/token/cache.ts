import type { VerifiedToken } from './types.js';

interface Entry {
  readonly token: VerifiedToken;
  readonly issuer: string;
  readonly epoch: number;
}

/**
 * A bounded, least-recently-used cache of verified tokens, keyed by the **whole** token string: two
 * tokens that differ in one character never share an entry (unlike prefix or hash keys, cf. fast-jwt
 * CVE-2026-35039). The caller re-checks time claims on every hit and drops entries whose issuer key set
 * changed; entries past `exp` are removed when touched.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  constructor(readonly max: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(token: string): Entry | undefined {
    const entry = this.#entries.get(token);
    if (entry !== undefined) {
      this.#entries.delete(token);
      this.#entries.set(token, entry);
    }
    return entry;
  }

  set(token: string, entry: Entry): void {
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    if (this.#entries.size > this.max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(token: string): void {
    this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
  }
}
