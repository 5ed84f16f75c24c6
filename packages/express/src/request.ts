import type { IncomingMessage } from 'node:http';
import type { StepUpRequest } from '@stepup/core';
import type { Request } from 'express';

/**
 * The request headers, with every `Authorization` value when the client sent more than one. Node keeps
 * only the first `Authorization` header in `headers`; the core must see all of them to refuse two
 * credentials with `400 invalid_request` (RFC 6750 §2, REFERENCE §1). Scans `rawHeaders` only when an
 * `Authorization` header exists.
 */
export function headersOf(raw: IncomingMessage): StepUpRequest['headers'] {
  const { headers, rawHeaders } = raw;
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

/**
 * Translates an Express request into the core's plain shape. `url` is `originalUrl` (mount prefixes
 * included, query kept so a token in the query is refused); `body` is whatever a body parser that ran
 * earlier left in `req.body` (nothing is parsed here).
 */
export function toStepUpRequest(req: Request): StepUpRequest {
  return {
    method: req.method,
    url: req.originalUrl,
    headers: headersOf(req),
    body: req.body,
    params: paramsOf(req.params),
  };
}

// Express 5 gives a wildcard parameter (`/files/*path`) as an array of segments; the core takes
// strings, so such a parameter is passed joined with `/`, as it appeared in the path.
function paramsOf(params: Request['params']): Record<string, string> {
  for (const key in params) {
    if (typeof params[key] === 'string') continue;
    const copy: Record<string, string> = {};
    for (const [name, value] of Object.entries(params))
      copy[name] = Array.isArray(value) ? value.join('/') : value;
    return copy;
  }
  return params as Record<string, string>;
}
