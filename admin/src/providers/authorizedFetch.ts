/**
 * The fetch the back office calls the API with: it sends the session's access token as
 * `Authorization: Bearer`, renewing the token first when it has expired, and once more when the
 * API answers 401 (the token was revoked, or the signing key rotated), sending the request again
 * with the new token. When no new token can be had, the 401 goes back to the caller: the auth
 * provider's checkError then sends the user to sign in.
 */

/**
 * Wraps `fetchImpl`. `currentToken` is the session's unexpired token (or null); `renew` resolves
 * with a new one or null. Request bodies must be re-sendable (strings, Blobs, FormData), as
 * Apollo's are.
 */
export const createAuthorizedFetch =
  (
    currentToken: () => string | null,
    renew: () => Promise<string | null>,
    fetchImpl: typeof fetch = (...args) => fetch(...args),
  ): typeof fetch =>
  async (input, init) => {
    const send = (token: string | null) => {
      const headers = new Headers(init?.headers);
      if (token === null) headers.delete('Authorization');
      else headers.set('Authorization', `Bearer ${token}`);
      return fetchImpl(input, { ...init, headers });
    };
    const token = currentToken() ?? (await renew());
    const response = await send(token);
    if (response.status !== 401) return response;
    const renewed = await renew();
    return renewed === null || renewed === token ? response : send(renewed);
  };
