/**
 * The back office's own Apollo Client over `authorizedFetch`, which adds the current access token
 * to every request (renewing it when needed), so a new sign-in or a renewed token takes effect
 * without rebuilding the client.
 */
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { createGraphQLFetch } from './graphqlFetch';

/** Creates the client for `gatewayUrl`, sending every operation through `authorizedFetch`. */
export const createApolloClient = (gatewayUrl: string, authorizedFetch: typeof fetch) =>
  new ApolloClient({
    link: new HttpLink({ uri: gatewayUrl, fetch: createGraphQLFetch(authorizedFetch) }),
    cache: new InMemoryCache(),
    devtools: { enabled: false },
    defaultOptions: {
      query: { fetchPolicy: 'network-only' },
      watchQuery: { fetchPolicy: 'network-only' },
    },
  });
