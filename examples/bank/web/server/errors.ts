/** Every code a {@link WebServerError} carries. */
export type WebServerErrorCode = 'ERR_CONFIG' | 'ERR_APP_MISSING';

/** Thrown by `serveWeb` before it listens: bad options (`ERR_CONFIG`), or no built app (`ERR_APP_MISSING`). */
export class WebServerError extends Error {
  override readonly name = 'WebServerError';
  constructor(
    readonly code: WebServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}
