import { z } from 'zod';
import { StepUpError } from '../errors.js';
import { parseWith, type StepUpOptions } from '../options.js';
import { createStepUp, type StepUp } from '../step-up.js';

/** Options every adapter reads besides the core's. */
export interface AdapterOptions {
  /**
   * Add `Access-Control-Expose-Headers: WWW-Authenticate` to denials, so browser clients on another
   * origin can read the challenge. Default `false`.
   */
  readonly exposeChallenge?: boolean;
}

/**
 * An adapter's options: the core's options, or an engine already built with `createStepUp`, plus the
 * adapter's own (`A`).
 */
export type StepUpAdapterOptions<A extends object = AdapterOptions> =
  | (StepUpOptions & A & { readonly engine?: undefined })
  | (A & { readonly engine: StepUp });

const engineSchema = z.custom<StepUp>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<StepUp>).check === 'function' &&
    typeof (value as Partial<StepUp>).assertOperation === 'function',
  { message: 'must be an engine made by createStepUp' },
);

/**
 * Reads an adapter's options once, at registration, as strictly as the core's: the adapter's flags
 * (`exposeChallenge` and `flags`) must be booleans, and with an `engine` nothing else may be given
 * (a misspelt `exposeChalenge` beside an engine is an error, not silently dropped); without one, the
 * rest goes to `createStepUp`, which refuses unknown options. For adapters.
 * @throws StepUpError `ERR_CONFIG_INVALID` naming every invalid field
 */
export function resolveAdapterOptions<F extends string = never>(
  options: unknown,
  adapter: string,
  flags: readonly F[] = [],
): { readonly engine: StepUp; readonly flags: Readonly<Record<'exposeChallenge' | F, boolean>> } {
  const what = `${adapter} options`;
  const names = new Set<string>(['exposeChallenge', ...flags]);
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseWith(z.record(z.string(), z.unknown()), options, what)))
    (names.has(key) ? own : rest)[key] = value;
  const shape = Object.fromEntries([...names].map((name) => [name, z.boolean().default(false)]));
  const values = parseWith(z.strictObject(shape), own, what) as Record<'exposeChallenge' | F, boolean>;
  if (!('engine' in rest)) return { engine: createStepUp(rest as StepUpOptions), flags: values };
  const { engine, ...extra } = rest;
  const misplaced = Object.keys(extra);
  if (misplaced.length > 0)
    throw new StepUpError(
      'ERR_CONFIG_INVALID',
      `Invalid ${what}: ${misplaced.map((key) => `${key}: not allowed with engine (pass it to createStepUp)`).join('; ')}`,
      {
        details: {
          path: misplaced[0]!,
          issues: misplaced.map((path) => ({ path, message: 'not allowed with engine' })),
        },
      },
    );
  return { engine: parseWith(engineSchema, engine, `${what}: engine`), flags: values };
}
