import type { StepUpRequest } from '@stepup/core';
import { nodeHeaders } from '@stepup/core/adapter';
import type { Request } from 'express';

/**
 * Translates an Express request into the core's plain shape. `url` is `originalUrl` (mount prefixes
 * included, query kept so a token in the query is refused); `body` is whatever a body parser that ran
 * earlier left in `req.body` (nothing is parsed here). Body parsers set `req.body` on the request
 * itself; when none did, `body` is read as absent without walking the request's prototype chain
 * (Express 5 gives each request its own hidden class, so that walk costs about a microsecond).
 */
export function toStepUpRequest(req: Request): StepUpRequest {
  return {
    method: req.method,
    url: req.originalUrl,
    headers: nodeHeaders(req),
    body: Object.hasOwn(req, 'body') ? req.body : undefined,
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
