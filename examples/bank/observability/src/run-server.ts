import type { Logger } from './logger.js';

/** What {@link runServer} starts: a server (and what it opened) that can be closed. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * The life of a bank server's command line, the same for every app: runs `start`; when it fails,
 * logs `server.failed` with the reason (what `npm start` shows of a server that did not come up) and
 * exits 1; once started, closes it on SIGINT or SIGTERM and exits 0 (1 when closing fails). For
 * command lines only: it ends the process.
 *
 * @example
 * runServer(logger, async () => {
 *   const api = await startBankApi({ port: 4001, logger });
 *   logger.info('server.ready', { url: api.url });
 *   return api;
 * });
 */
export function runServer(logger: Logger, start: () => Promise<Closable>): void {
  start().then(
    (server) => {
      const stop = () =>
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error('server.stop_failed', { error });
            process.exit(1);
          },
        );
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      logger.error('server.failed', { error });
      process.exit(1);
    },
  );
}
