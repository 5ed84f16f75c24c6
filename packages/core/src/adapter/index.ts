/**
 * `@stepup/core/adapter`: what a framework adapter is built from. Application code does not need it.
 */
export { exposedHeaders } from './expose.js';
export { createGuard, type Guard, type GuardHandlers } from './guard.js';
export { type NodeMessageLike, nodeHeaders } from './node-headers.js';
export { type AdapterOptions, resolveAdapterOptions, type StepUpAdapterOptions } from './options.js';
