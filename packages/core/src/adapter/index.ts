/**
 * `@stepup/core/adapter`: what a framework adapter is built from. Application code does not need it.
 */
export { exposedHeaders, withExposed } from './expose.js';
export { createGuard, type Guard, type GuardHandlers } from './guard.js';
export { metadataRoute, targetPath } from './metadata.js';
export { type NodeMessageLike, nodeHeaders } from './node-headers.js';
export { type AdapterOptions, resolveAdapterOptions, type StepUpAdapterOptions } from './options.js';
