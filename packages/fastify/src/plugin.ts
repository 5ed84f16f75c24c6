import type { StepUp, StepUpDenial, StepUpGrant } from '@stepup/core';
import {
  type AdapterOptions,
  createGuard,
  metadataRoute,
  resolveAdapterOptions,
  type StepUpAdapterOptions,
} from '@stepup/core/adapter';
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteGenericInterface,
} from 'fastify';
import fp from 'fastify-plugin';
import { toStepUpRequest } from './request.js';

/** What a guard leaves on `request.stepUp` when a request is allowed: the core's allowed decision. */
export type { StepUpGrant };

/**
 * One operation's guard, as a Fastify `preHandler`. Composable every way Fastify allows: as a route's
 * `preHandler` (callback style: called with `done`, it returns nothing), or awaited inside another hook
 * (`await guard(request, reply)`: called without `done`, it returns a promise that settles once the
 * request is allowed, or refused and answered, so Fastify never runs the handler after a denial).
 */
export interface StepUpPreHandler {
  (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  (request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** The `fastify.stepUp` decorator. */
export interface StepUpFastify {
  /**
   * A `preHandler` that lets a request through only when it may perform `operation`, setting
   * `request.stepUp`; a denial is answered with the core's status, headers and JSON body.
   * @throws StepUpError `ERR_OPERATION_UNKNOWN` here, when the route is declared, if no policy defines `operation`.
   */
  require(operation: string): StepUpPreHandler;
  /** The core engine (`decide`, `operations`, `levels`, `clearCache`). */
  readonly engine: StepUp;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once a step-up guard allowed the request; `null` on routes no guard protects. */
    stepUp: StepUpGrant | null;
  }
  interface FastifyInstance {
    stepUp: StepUpFastify;
  }
  interface FastifyContextConfig {
    /** The operation this route performs; the plugin adds its guard as the first `preHandler`. */
    stepUp?: string;
  }
}

/** Options that only the Fastify plugin reads (`exposeChallenge`). */
export type FastifyAdapterOptions = AdapterOptions;

/** Options of the plugin: the core's options, or an engine built with `createStepUp`. */
export type StepUpFastifyOptions = StepUpAdapterOptions<FastifyAdapterOptions>;

const plugin: FastifyPluginAsync<StepUpFastifyOptions> = async (fastify, options) => {
  const { engine, flags } = resolveAdapterOptions(options, '@stepup/fastify');

  const require = (operation: string): StepUpPreHandler => {
    const guard = createGuard(engine, operation, flags);
    function stepUpGuard(
      request: FastifyRequest<RouteGenericInterface>,
      reply: FastifyReply,
      done?: HookHandlerDoneFunction,
    ): undefined | Promise<void> {
      const handlers = {
        allow(grant: StepUpGrant) {
          if (grant.headers !== undefined)
            reply.headers(guard.headers(grant, reply.getHeader('access-control-expose-headers')));
          request.stepUp = grant;
          done?.();
        },
        deny(denial: StepUpDenial) {
          const { error } = denial;
          const prior = reply.getHeader('access-control-expose-headers');
          reply.code(error.status).headers(guard.headers(denial, prior)).send(error.body);
        },
      };
      // With `done`, Fastify waits for it and must not also get a promise (it would continue twice).
      if (typeof done === 'function') {
        try {
          guard.run(toStepUpRequest(request), handlers)?.catch(done);
        } catch (error) {
          done(error as Error);
        }
        return undefined;
      }
      try {
        return guard.run(toStepUpRequest(request), handlers) ?? Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return stepUpGuard as StepUpPreHandler;
  };

  if (engine.metadata !== undefined) {
    // RFC 9728 §3: GET (and Fastify's automatic HEAD) on the well-known path; the core built the answer.
    const { path, headers, body } = metadataRoute(engine, '@stepup/fastify');
    fastify.get(path, (_request, reply) => reply.headers(headers).send(body));
  }
  fastify.decorateRequest('stepUp', null);
  fastify.decorate('stepUp', { engine, require } satisfies StepUpFastify);
  fastify.addHook('onRoute', (route) => {
    const operation = route.config?.stepUp;
    if (operation === undefined) return;
    const guard = require(operation);
    // A new array: Fastify's automatic HEAD route was cloned from these options and gets its own call.
    route.preHandler = route.preHandler === undefined ? [guard] : [guard, ...[route.preHandler].flat()];
  });
};

/**
 * The Fastify 5 plugin of `@stepup/core`: step-up authorization (RFC 9470) per route. Register it once;
 * routes name their operation in `config: { stepUp: 'op' }` or use `fastify.stepUp.require('op')` as a
 * `preHandler` (or await it inside a hook of their own). Either way an unknown operation fails at
 * startup. Guards run as `preHandler`s, after body parsing and validation, so policies can read the
 * body. The status, `WWW-Authenticate` and JSON body all come from the core; the plugin formats nothing.
 * Routes declared before the plugin is registered, or outside its scope, are not guarded by
 * `config.stepUp`. With the core's `metadata` option it also serves the RFC 9728 protected resource
 * metadata at `GET /.well-known/oauth-protected-resource{path}`.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` (from `register`/`ready`) for invalid options.
 * @example
 * await app.register(stepUpFastify, { issuers, levels, operations });
 * app.post('/transfers', { config: { stepUp: 'transfers:create' } }, async (request) => ({
 *   by: request.stepUp?.token.subject,
 * }));
 */
export const stepUpFastify = fp(plugin, { fastify: '5.x', name: '@stepup/fastify' });
