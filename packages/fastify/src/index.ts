export {
  type FastifyAdapterOptions,
  type StepUpFastify,
  type StepUpFastifyOptions,
  type StepUpGrant,
  type StepUpPreHandler,
  stepUpFastify,
} from './plugin.js';
export { toStepUpRequest } from './request.js';
