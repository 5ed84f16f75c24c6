import type { StepUpOptions } from './options.js';
import { createStepUp, type StepUp } from './step-up.js';

/** Options every adapter reads besides the core's. */
export interface AdapterOptions {
  /**
   * Add `Access-Control-Expose-Headers: WWW-Authenticate` to denials, so browser clients on another
   * origin can read the challenge. Default `false`.
   */
  readonly exposeChallenge?: boolean;
}

/** An adapter's options: the core's options, or an engine already built with `createStepUp`. */
export type StepUpAdapterOptions =
  | (StepUpOptions & AdapterOptions & { readonly engine?: undefined })
  | (AdapterOptions & { readonly engine: StepUp });

/**
 * Reads an adapter's options once, at registration: takes the given engine or builds one (so invalid
 * options throw `ERR_CONFIG_INVALID` at boot). For adapters.
 * @throws StepUpError `ERR_CONFIG_INVALID`
 */
export function resolveAdapterOptions(options: StepUpAdapterOptions): {
  engine: StepUp;
  exposeChallenge: boolean;
} {
  const { exposeChallenge = false, engine, ...core } = options;
  return { engine: engine ?? createStepUp(core as StepUpOptions), exposeChallenge };
}
