import { describe, expect, it } from 'vitest';
import { createGraphQLFetch, graphQLErrorBody } from './graphqlFetch';

const respond = (status: number, body: string, type = 'application/json') =>
  createGraphQLFetch(async () => new Response(body, { status, headers: { 'content-type': type } }));

describe('graphqlFetch', () => {
  it('turns a 400 GraphQL error document into a 200 so BAD_USER_INPUT fields survive', async () => {
    const body = JSON.stringify({
      errors: [
        { message: 'invalid input', extensions: { code: 'BAD_USER_INPUT', fields: { name: 'required' } } },
      ],
    });
    const response = await respond(400, body)('http://gateway/graphql');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(body));
  });

  it('gives code-less errors the code their status implies', () => {
    const rewritten = graphQLErrorBody(401, JSON.stringify({ errors: [{ message: 'token expired' }] }));
    expect(JSON.parse(rewritten ?? '{}')).toEqual({
      errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('leaves non-GraphQL failures as HTTP errors (a 401 from a proxy still logs out)', async () => {
    const plain = await respond(401, 'Unauthorized', 'text/plain')('http://gateway/graphql');
    expect(plain.status).toBe(401);
    const json = await respond(502, '{"message":"bad gateway"}')('http://gateway/graphql');
    expect([json.status, await json.text()]).toEqual([502, '{"message":"bad gateway"}']);
  });
});
