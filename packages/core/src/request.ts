/**
 * The plain request shape the core works on; adapters translate their framework's request into it.
 * Header names are lower-case. A header given as an array means it was sent more than once
 * (adapters pass every `Authorization` header they received, so two credentials can be refused).
 */
export interface StepUpRequest {
  readonly method: string;
  /** Path and query, as received (`/transfers?x=1`). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed body, when the framework parsed one. */
  readonly body?: unknown;
  /** Route parameters. */
  readonly params?: Readonly<Record<string, string>>;
}
