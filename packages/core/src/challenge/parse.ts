import { StepUpError } from '../errors.js';
import { isToken68Char, isTokenChar } from './grammar.js';
import type { Challenge } from './types.js';

const malformed = (what: string, at: number) =>
  new StepUpError('ERR_CHALLENGE_MALFORMED', `Malformed WWW-Authenticate header: ${what} at offset ${at}`);

/** A cursor over the header. No Node-only APIs: this runs in browsers and React Native too. */
class Scanner {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text.charAt(this.pos);
  }
  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  /** Skips the separators of a #list: whitespace and empty elements. */
  skipListSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && isTokenChar(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  quoted(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let value = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return value;
      }
      if (c === '\\') {
        this.pos++;
        if (this.done) break;
      }
      const ch = this.peek();
      if (ch < ' ' ? ch !== '\t' : ch === '\x7f')
        throw malformed('control character in quoted-string', this.pos);
      value += ch;
      this.pos++;
    }
    throw malformed('unterminated quoted-string', start);
  }
  /** token68 followed by the end of the challenge, or nothing (the cursor is then left as it was). */
  token68(): string | undefined {
    const start = this.pos;
    while (!this.done && isToken68Char(this.peek())) this.pos++;
    if (this.pos === start) return undefined;
    while (this.peek() === '=') this.pos++;
    const end = this.pos;
    this.skipOws();
    if (this.done || this.peek() === ',') return this.text.slice(start, end);
    this.pos = start;
    return undefined;
  }
  /** Whether an auth-param (`token BWS "="`) starts here, without moving. */
  atParam(): boolean {
    const start = this.pos;
    const name = this.token();
    this.skipOws();
    const result = name !== '' && this.peek() === '=';
    this.pos = start;
    return result;
  }
}

function parseParams(s: Scanner, params: Record<string, string>): void {
  for (;;) {
    const at = s.pos;
    const name = s.token().toLowerCase();
    if (name === '') throw malformed('expected a parameter name', at);
    s.skipOws();
    if (s.peek() !== '=') throw malformed(`expected "=" after ${name}`, s.pos);
    s.pos++;
    s.skipOws();
    const value = s.peek() === '"' ? s.quoted() : s.token();
    if (value === '' && s.text.charAt(s.pos - 1) !== '"')
      throw malformed(`expected a value for ${name}`, s.pos);
    if (Object.hasOwn(params, name)) throw malformed(`duplicate parameter ${name}`, at);
    params[name] = value;
    s.skipOws();
    if (s.done) return;
    if (s.peek() !== ',') throw malformed('expected "," between parameters', s.pos);
    s.skipListSeparators();
    if (s.done || !s.atParam()) return; // the next challenge starts here
  }
}

/**
 * Parses a `WWW-Authenticate` (or `Proxy-Authenticate`) value into its challenges (RFC 9110 §11.6.1),
 * as written by this package's serializer or by any other server: several challenges in one header,
 * quoted-strings with escapes, token68. Scheme and parameter names are lower-cased; values are kept as
 * sent. It does not interpret the parameters (see `readStepUpChallenge`).
 *
 * @throws StepUpError `ERR_CHALLENGE_MALFORMED` when any part of the header is malformed: one bad
 * challenge makes the whole header untrustworthy.
 * @example parseChallenges('Bearer error="insufficient_user_authentication", acr_values="urn:a urn:b"')
 * // [{ scheme: 'bearer', params: { error: 'insufficient_user_authentication', acr_values: 'urn:a urn:b' } }]
 */
export function parseChallenges(header: string): Challenge[] {
  const s = new Scanner(header);
  const challenges: Challenge[] = [];
  s.skipListSeparators();
  while (!s.done) {
    const at = s.pos;
    const scheme = s.token().toLowerCase();
    if (scheme === '') throw malformed('expected an auth-scheme', at);
    const params: Record<string, string> = {};
    if (s.done || s.peek() === ',') {
      challenges.push({ scheme, params });
    } else {
      if (s.peek() !== ' ') throw malformed('expected a space after the auth-scheme', s.pos);
      s.skipOws();
      const token68 = s.done ? undefined : s.token68();
      if (token68 !== undefined) challenges.push({ scheme, params, token68 });
      else {
        if (!s.done) parseParams(s, params);
        challenges.push({ scheme, params });
      }
    }
    s.skipListSeparators();
  }
  return challenges;
}
