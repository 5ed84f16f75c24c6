/**
 * `@stepup/core/client`: what a client (a browser, React Native, a Node client) needs to act on a
 * resource server's answers, without the engine: the `WWW-Authenticate` parser and the readers of
 * RFC 9470 step-up, Entra claims and RFC 9396 authorization challenges. It imports no Node-only module
 * (a test walks its imports), so bundlers can take it as it is.
 */
export { parseChallenges } from '../challenge/parse.js';
export { type ClaimsChallenge, readClaimsChallenge } from '../challenge/read-claims-challenge.js';
export { readStepUpChallenge, type StepUpChallenge } from '../challenge/read-step-up.js';
export type { Challenge } from '../challenge/types.js';
export { isStepUpError, StepUpError, type StepUpErrorCode } from '../errors.js';
export {
  type AuthorizationChallenge,
  readAuthorizationChallenge,
} from '../transaction/read-authorization-challenge.js';
