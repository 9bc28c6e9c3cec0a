/**
 * A fetch for Apollo's HttpLink that keeps GraphQL errors readable when the gateway answers them
 * with a 4xx/5xx status (Apollo Server uses `extensions.http.status`, e.g. 400 for BAD_USER_INPUT).
 * Apollo Client turns any non-2xx into a bare network error and ra-data-graphql then keeps only its
 * message, losing `extensions.code` and `extensions.fields`; re-labelling such a response as 200
 * lets the errors travel as GraphQL errors. Errors without a code get one from the status (401 ->
 * UNAUTHENTICATED, 403 -> FORBIDDEN), so nothing that should log out is lost on the way.
 */

const CODE_BY_STATUS: Readonly<Record<number, string>> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Rewrites a non-2xx GraphQL response body (a JSON object with an `errors` array) as the body of a
 * 200 response; returns null when the body is not such a document.
 */
export const graphQLErrorBody = (status: number, bodyText: string): string | null => {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return null;
  }
  if (!isObject(body) || !Array.isArray(body.errors) || body.errors.length === 0) return null;
  const fallbackCode = CODE_BY_STATUS[status];
  const errors = body.errors.map((error: unknown) => {
    if (!isObject(error) || fallbackCode === undefined) return error;
    const extensions = isObject(error.extensions) ? error.extensions : {};
    return typeof extensions.code === 'string'
      ? error
      : { ...error, extensions: { ...extensions, code: fallbackCode } };
  });
  return JSON.stringify({ ...body, errors });
};

/** Wraps `fetchImpl` as described in the module comment; 2xx and non-GraphQL answers pass through. */
export const createGraphQLFetch =
  (fetchImpl: typeof fetch = (...args) => fetch(...args)): typeof fetch =>
  async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.text();
    const rewritten = graphQLErrorBody(response.status, text);
    if (rewritten === null) {
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    return new Response(rewritten, { status: 200, headers });
  };
