import * as oauth from 'oauth4webapi';

/** Parses a WWW-Authenticate value with oauth4webapi (a real third-party client), via a faked 401. */
export async function parseWithOauth4webapi(
  header: string,
): Promise<Array<{ scheme: string; parameters: Record<string, string>; token68?: string }> | undefined> {
  try {
    await oauth.protectedResourceRequest('token', 'GET', new URL('https://api.test/r'), new Headers(), null, {
      [oauth.customFetch]: async () =>
        new Response(null, { status: 401, headers: { 'www-authenticate': header } }),
    });
  } catch (error) {
    if (error instanceof oauth.WWWAuthenticateChallengeError) return error.cause as never;
    throw error;
  }
  return undefined;
}
