import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * A real HTTP request with `node:http` (not fetch, which merges repeated headers): an array header
 * value goes out as several header lines.
 */
export function send(
  server: Server,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string | readonly string[]>;
    body?: string;
  },
): Promise<HttpResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: ['host', `127.0.0.1:${port}`, ...rawHeaders(options.headers)],
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

// [name, value, name, value, …]: a repeated name goes out as repeated header lines. Node adds no
// default headers to such a list, so the caller adds `host`.
function rawHeaders(headers: Record<string, string | readonly string[]> = {}): string[] {
  return Object.entries(headers).flatMap(([name, value]) => [value].flat().flatMap((v) => [name, v]));
}

/** Listens on an ephemeral 127.0.0.1 port. */
export function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
