/** Every code an {@link ObservabilityError} carries. */
export type ObservabilityErrorCode = 'ERR_CONFIG';

/** Thrown by `createLogger` for bad options; the message names the field and what was expected. */
export class ObservabilityError extends Error {
  override readonly name = 'ObservabilityError';
  readonly code: ObservabilityErrorCode;

  constructor(code: ObservabilityErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
