/**
 * One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1): an auth scheme with either
 * auth-params or a token68. The parser lower-cases `scheme` and parameter names.
 */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}
