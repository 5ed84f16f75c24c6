import type { IncomingMessage } from 'node:http';
import type { StepUpRequest } from '@stepup/core';
import type { FastifyRequest } from 'fastify';

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
 * Translates a Fastify request into the core's plain shape. Called from a `preHandler`, so `body` is
 * the parsed (and, with a schema, validated) body. Route parameters are passed as Fastify parsed them.
 */
export function toStepUpRequest(request: FastifyRequest): StepUpRequest {
  return {
    method: request.method,
    url: request.url,
    headers: headersOf(request.raw),
    body: request.body,
    // Fastify types params as `unknown` unless the route declares them; its router yields strings.
    params: request.params as Readonly<Record<string, string>>,
  };
}
