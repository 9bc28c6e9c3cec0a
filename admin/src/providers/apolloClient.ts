/**
 * The back office's own Apollo Client: every request reads the current access token from the session
 * and sends it as `Authorization: Bearer`, so a re-login takes effect without rebuilding the client.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { createGraphQLFetch } from './graphqlFetch';

/** Creates the client for `gatewayUrl`; `getToken` is asked once per operation. */
export const createApolloClient = (gatewayUrl: string, getToken: () => string | null) => {
  const authLink = new ApolloLink((operation, forward) => {
    const token = getToken();
    if (token !== null) {
      operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
        headers: { ...headers, Authorization: `Bearer ${token}` },
      }));
    }
    return forward(operation);
  });
  return new ApolloClient({
    link: ApolloLink.from([authLink, new HttpLink({ uri: gatewayUrl, fetch: createGraphQLFetch() })]),
    cache: new InMemoryCache(),
    devtools: { enabled: false },
    defaultOptions: {
      query: { fetchPolicy: 'network-only' },
      watchQuery: { fetchPolicy: 'network-only' },
    },
  });
};
