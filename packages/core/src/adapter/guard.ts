import type { Decision, StepUpDenial, StepUpGrant } from '../decision.js';
import type { StepUpRequest } from '../request.js';
import type { StepUp } from '../step-up.js';
import { withExposed } from './expose.js';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** What an adapter does with a decision. Exactly one of them is called, exactly once. */
export interface GuardHandlers {
  /** The request may go on: attach the grant to the framework's request and continue. */
  allow(grant: StepUpGrant): void;
  /**
   * The request is refused: answer it with `denial.error.status`, `headers` (from `Guard.headers`) and
   * `denial.error.body`, and do not continue.
   */
  deny(denial: StepUpDenial): void;
}

/** One operation's guard, shared by every adapter (so the sequence is written once). */
export interface Guard {
  readonly operation: string;
  /**
   * The engine's `check` of this operation: the decision, synchronously when it can be made at once (as
   * `run` describes), else a promise of it. For adapters that branch on the decision themselves instead of
   * passing handlers (no closure per request). A programming error is thrown or rejects, as with `run`.
   */
  decide(request: StepUpRequest): Decision | Promise<Decision>;
  /**
   * Decides and calls one handler: synchronously when the engine's `check` decides at once (a cache
   * hit, a request refused before verification, a token the native backend verifies with keys at hand),
   * and then returns `undefined`; else once the decision is known (keys to fetch, an asynchronous
   * requirement, a single use to record: an approval, a DPoP proof's `jti`), and then returns a promise
   * that settles once the handler ran. A programming error (an unknown operation, an invalid computed
   * requirement) is thrown synchronously or rejects the promise; no handler is called for it: pass it
   * to the framework's error path (a 500).
   */
  run(request: StepUpRequest, handlers: GuardHandlers): undefined | Promise<void>;
  /**
   * The headers to answer `denial` with: the engine's (challenge, `Cache-Control`, `Retry-After`,
   * `DPoP-Nonce`), and the exposed-headers line when the adapter was configured with `exposeChallenge`,
   * merged with the value an earlier CORS middleware set on the response (`prior`). For a grant: the
   * headers to add to the allowed response (a new `DPoP-Nonce`), empty for most grants.
   */
  headers(decision: Decision, prior: unknown): Readonly<Record<string, string>>;
}

/**
 * Creates the guard of `operation` for an adapter: the engine's decide-now-or-verify sequence, the
 * handlers' contract and the denial's headers, in one place. Adapters only translate the framework's
 * request in (`StepUpRequest`) and the handlers' calls out.
 *
 * @throws StepUpError `ERR_OPERATION_UNKNOWN` now, when the route is declared, for an unknown operation.
 * @example
 * const guard = createGuard(engine, 'transfers:create', { exposeChallenge: true });
 * guard.run(toStepUpRequest(req), {
 *   allow: (grant) => { req.stepUp = grant; next(); },
 *   deny: (denial) => res.status(denial.error.status).set(guard.headers(denial, res.getHeader('access-control-expose-headers'))).json(denial.error.body),
 * })?.catch(next);
 */
export function createGuard(
  engine: StepUp,
  operation: string,
  options: { readonly exposeChallenge: boolean },
): Guard {
  engine.assertOperation(operation);
  const { exposeChallenge } = options;
  const decide = (request: StepUpRequest) => engine.check(operation, request);
  return {
    operation,
    decide,
    run(request, handlers) {
      const decision = decide(request);
      if (!(decision instanceof Promise)) {
        if (decision.allowed) handlers.allow(decision);
        else handlers.deny(decision);
        return undefined;
      }
      return decision.then((settled) => {
        if (settled.allowed) handlers.allow(settled);
        else handlers.deny(settled);
      });
    },
    headers(decision, prior) {
      const headers = decision.allowed ? (decision.headers ?? NO_HEADERS) : decision.error.headers;
      return exposeChallenge && headers !== NO_HEADERS ? withExposed(headers, prior) : headers;
    },
  };
}
