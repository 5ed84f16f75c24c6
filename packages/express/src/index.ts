export { stepUpErrorHandler } from './error-handler.js';
export { toStepUpRequest } from './request.js';
export {
  type ExpressAdapterOptions,
  type StepUpExpress,
  type StepUpExpressOptions,
  type StepUpGrant,
  type StepUpMiddleware,
  stepUpExpress,
} from './step-up-express.js';
