import type { StepUpRequest } from '@stepup/core';
import { nodeHeaders } from '@stepup/core/adapter';
import type { FastifyRequest } from 'fastify';

/**
 * Translates a Fastify request into the core's plain shape. Called from a `preHandler`, so `body` is
 * the parsed (and, with a schema, validated) body. Route parameters are passed as Fastify parsed them.
 */
export function toStepUpRequest(request: FastifyRequest): StepUpRequest {
  return {
    method: request.method,
    url: request.url,
    headers: nodeHeaders(request.raw),
    body: request.body,
    // Fastify types params as `unknown` unless the route declares them; its router yields strings.
    params: request.params as Readonly<Record<string, string>>,
  };
}
