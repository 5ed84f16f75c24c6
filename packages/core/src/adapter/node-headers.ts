import type { StepUpRequest } from '../request.js';

/** What `nodeHeaders` reads: the shape of Node's `http.IncomingMessage` (no import of `node:http`). */
export interface NodeMessageLike {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly rawHeaders: readonly string[];
}

/**
 * The request headers for the core, with every `Authorization` value when the client sent more than
 * one. Node keeps only the first `Authorization` header in `headers`; the core must see all of them to
 * refuse two credentials with `400 invalid_request` (RFC 6750 §2). Scans `rawHeaders` only when an
 * `Authorization` header exists, so the common case costs nothing. For adapters.
 *
 * @example toStepUpRequest = (req) => ({ method: req.method, url: req.originalUrl, headers: nodeHeaders(req), body: req.body })
 */
export function nodeHeaders(message: NodeMessageLike): StepUpRequest['headers'] {
  const { headers, rawHeaders } = message;
  if (headers.authorization === undefined) return headers;
  let values: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    values ??= [];
    values.push(rawHeaders[i + 1]!);
  }
  return values !== undefined && values.length > 1 ? { ...headers, authorization: values } : headers;
}
