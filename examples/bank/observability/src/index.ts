export { createLogger, type LoggerOptions } from './create-logger.js';
export { ObservabilityError, type ObservabilityErrorCode } from './errors.js';
export { type Logger, silentLogger } from './logger.js';
export { REDACTED, redact, SECRET_FIELD, scrub } from './redact.js';
export { type Closable, runServer } from './run-server.js';
