import { StepUpError } from '../errors.js';
import type { ProtectedResourceMetadata } from '../metadata/metadata.js';
import type { StepUp } from '../step-up.js';

/**
 * The protected resource metadata route of an engine (RFC 9728 §3): the path to serve, and the
 * status, headers and body of the answer, all built by the core. Adapters route `GET` (and `HEAD`)
 * on `path` to it and format nothing. For adapters.
 * @throws StepUpError `ERR_CONFIG_INVALID` when the engine has no `metadata` option.
 */
export function metadataRoute(engine: StepUp, adapter: string): ProtectedResourceMetadata {
  if (engine.metadata === undefined)
    throw new StepUpError('ERR_CONFIG_INVALID', `Invalid ${adapter} options: metadata: not configured`, {
      details: { path: 'metadata', issues: [{ path: 'metadata', message: 'not configured' }] },
    });
  return engine.metadata;
}

/** The path of a request target, without query and fragment. */
export function targetPath(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
