export { stepUpErrorHandler } from './error-handler.js';
export { headersOf, toStepUpRequest } from './request.js';
export {
  type ExpressAdapterOptions,
  type StepUpExpress,
  type StepUpExpressOptions,
  type StepUpGrant,
  stepUpExpress,
} from './step-up-express.js';
