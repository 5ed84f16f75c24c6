import * as oauth from 'oauth4webapi';

/**
 * Runs `attempt` again once when the server asked for a DPoP nonce (`use_dpop_nonce`, RFC 9449 §8,
 * §9): the handle has kept the nonce from the refusal's `DPoP-Nonce`, and the new proof carries it.
 */
export async function withDpopNonce<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (oauth.isDPoPNonceError(error)) return attempt();
    throw error;
  }
}
