export {
  type FastifyAdapterOptions,
  type StepUpFastify,
  type StepUpFastifyOptions,
  type StepUpGrant,
  stepUpFastify,
} from './plugin.js';
export { headersOf, toStepUpRequest } from './request.js';
