export {
  type FastifyAdapterOptions,
  type StepUpFastify,
  type StepUpFastifyOptions,
  type StepUpGrant,
  stepUpFastify,
} from './plugin.js';
export { toStepUpRequest } from './request.js';
