import { type ChallengeRendering, StepUpError } from '../errors.js';
import { bearerChallenge } from './render.js';
import { serializeChallenge } from './serialize.js';

/**
 * Refuses, at boot, a realm or resource_metadata the serializer would refuse on every request.
 * @throws StepUpError `ERR_CONFIG_INVALID`
 */
export function checkRendering(rendering: ChallengeRendering): void {
  try {
    serializeChallenge(
      bearerChallenge(new StepUpError('ERR_TOKEN_MISSING', 'probe'), {
        ...rendering,
        formatChallenge: undefined,
      }),
    );
  } catch (cause) {
    throw new StepUpError('ERR_CONFIG_INVALID', 'Invalid stepup options: realm or resourceMetadata', {
      details: { path: 'realm' },
      cause,
    });
  }
}
