import { StepUpError } from '../errors.js';
import type { StepUpRequest } from '../request.js';
import type { VerifiedToken } from '../token/types.js';
import type { AssuranceLevels } from './levels.js';
import {
  type RequirementFn,
  type ResolvedRequirement,
  resolveComputed,
  resolveRequirement,
  type StaticRequirement,
} from './requirement.js';

const unknownOperation = (operation: string) =>
  new StepUpError('ERR_OPERATION_UNKNOWN', `No policy defines the operation ${JSON.stringify(operation)}`, {
    details: { operation },
  });

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * The operations an engine knows, each with its requirement: resolved once at construction when static,
 * computed per request (and validated) when a function.
 */
export class PolicyRegistry {
  readonly #policies = new Map<string, ResolvedRequirement | RequirementFn>();
  readonly #levels: AssuranceLevels;

  constructor(
    operations: Readonly<Record<string, StaticRequirement | RequirementFn>>,
    levels: AssuranceLevels,
  ) {
    this.#levels = levels;
    for (const [name, requirement] of Object.entries(operations))
      this.#policies.set(
        name,
        typeof requirement === 'function' ? requirement : resolveRequirement(requirement, levels),
      );
  }

  get names(): readonly string[] {
    return [...this.#policies.keys()];
  }

  has(operation: string): boolean {
    return this.#policies.has(operation);
  }

  /** Whether `requirement` is `operation`'s own static requirement (resolved once, the same object). */
  isStatic(operation: string, requirement: ResolvedRequirement): boolean {
    return this.#policies.get(operation) === requirement;
  }

  /** @throws StepUpError `ERR_OPERATION_UNKNOWN` */
  assert(operation: string): void {
    if (!this.#policies.has(operation)) throw unknownOperation(operation);
  }

  /**
   * The requirement `operation` sets for this request and token: a promise when the computing function
   * returned one (never otherwise, so the fast paths stay synchronous).
   * @throws StepUpError `ERR_OPERATION_UNKNOWN`, `ERR_POLICY_INVALID` (a computed requirement is invalid;
   * a rejection when it was computed asynchronously)
   */
  requirement(
    operation: string,
    request: StepUpRequest,
    token: VerifiedToken,
  ): ResolvedRequirement | Promise<ResolvedRequirement> {
    const policy = this.#policies.get(operation);
    if (policy === undefined) throw unknownOperation(operation);
    if (typeof policy !== 'function') return policy;
    const computed = policy({ request, token });
    return isThenable(computed)
      ? Promise.resolve(computed).then((value) => resolveComputed(operation, value, this.#levels))
      : resolveComputed(operation, computed, this.#levels);
  }
}
