import {
  type AdapterOptions,
  type Decision,
  exposeChallenge,
  resolveAdapterOptions,
  type StepUp,
  type StepUpAdapterOptions,
  type StepUpGrant,
} from '@stepup/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { toStepUpRequest } from './request.js';

/** What a guard leaves on `request.stepUp` when a request is allowed: the core's allowed decision. */
export type { StepUpGrant };

/** The `fastify.stepUp` decorator. */
export interface StepUpFastify {
  /**
   * A `preHandler` that lets a request through only when it may perform `operation`, setting
   * `request.stepUp`; a denial is answered with the core's status, headers and JSON body.
   * @throws StepUpError `ERR_OPERATION_UNKNOWN` here, when the route is declared, if no policy defines `operation`.
   */
  require(operation: string): preHandlerHookHandler;
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
export type StepUpFastifyOptions = StepUpAdapterOptions;

const plugin: FastifyPluginAsync<StepUpFastifyOptions> = async (fastify, options) => {
  const { engine, exposeChallenge: expose } = resolveAdapterOptions(options);

  const require = (operation: string): preHandlerHookHandler => {
    engine.assertOperation(operation);
    const settle = (
      decision: Decision,
      request: FastifyRequest,
      reply: FastifyReply,
      done: (err?: Error) => void,
    ) => {
      if (decision.allowed) {
        request.stepUp = decision;
        return done();
      }
      const { error } = decision;
      if (expose) exposeChallenge(error, reply.getHeader('access-control-expose-headers'));
      reply.code(error.status).headers(error.headers).send(error.body);
    };
    // A callback-style hook: cache hits and early denials are settled synchronously, with no promise.
    return function stepUpGuard(request, reply, done) {
      const input = toStepUpRequest(request);
      const decision = engine.decideSync(operation, input);
      if (decision !== undefined) return settle(decision, request, reply, done);
      engine.decide(operation, input).then((d) => settle(d, request, reply, done), done);
    };
  };

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
 * `preHandler`. Either way an unknown operation fails at startup. Guards run as `preHandler`s, after
 * body parsing and validation, so policies can read the body. The status, `WWW-Authenticate` and JSON
 * body all come from the core; the plugin formats nothing. Routes declared before the plugin is
 * registered, or outside its scope, are not guarded by `config.stepUp`.
 *
 * @throws StepUpError `ERR_CONFIG_INVALID` (from `register`/`ready`) for invalid options.
 * @example
 * await app.register(stepUpFastify, { issuers, levels, operations });
 * app.post('/transfers', { config: { stepUp: 'transfers:create' } }, async (request) => ({
 *   by: request.stepUp?.token.subject,
 * }));
 */
export const stepUpFastify = fp(plugin, { fastify: '5.x', name: '@stepup/fastify' });
