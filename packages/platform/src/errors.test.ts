import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, formatError, NotFoundError, ValidationError } from './errors.js';

const wrap = (err: Error) => new GraphQLError(err.message, { originalError: err, path: ['x'] });

describe('formatError', () => {
  it('keeps a domain error’s code, details and HTTP status', () => {
    const out = formatError({ message: 'x' }, wrap(new NotFoundError('Deal', 'd1')), false);
    expect(out.extensions).toMatchObject({
      code: 'NOT_FOUND',
      entity: 'Deal',
      id: 'd1',
      http: { status: 404 },
    });
    expect(formatError({ message: 'x' }, wrap(new ForbiddenError()), false).extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('names every invalid field', () => {
    const out = formatError(
      { message: 'x' },
      wrap(new ValidationError({ 'tranches.0.name': 'too long' })),
      false,
    );
    expect(out.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'tranches.0.name': 'too long' },
    });
    expect(out.message).toBe('invalid input: tranches.0.name: too long');
  });

  it('flattens class-validator failures into field paths', () => {
    const formatted = {
      message: 'Argument Validation Error',
      extensions: {
        code: 'BAD_USER_INPUT',
        validationErrors: [
          { property: 'currency', constraints: { matches: 'bad currency' } },
          {
            property: 'tranches',
            children: [{ property: '0', children: [{ property: 'name', constraints: { a: 'empty' } }] }],
          },
        ],
      },
    };
    const out = formatError(formatted, new Error('x'), false);
    expect(out.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: { currency: 'bad currency', 'tranches.0.name': 'empty' },
    });
  });

  it('hides internal errors outside development and shows them in development', () => {
    const internal = {
      message: 'relation "x" does not exist',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
    expect(formatError(internal, new Error('db'), false)).toEqual({
      message: 'internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(formatError(internal, new Error('db'), true).message).toBe('relation "x" does not exist');
  });
});
