import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('parseConfig', () => {
  it('accepts the gateway and issuer URLs', () => {
    expect(
      parseConfig({ gatewayUrl: 'http://127.0.0.1:4000/graphql', issuerUrl: 'http://127.0.0.1:4005' }),
    ).toEqual({ gatewayUrl: 'http://127.0.0.1:4000/graphql', issuerUrl: 'http://127.0.0.1:4005' });
  });

  it('names the field that is missing or not an http(s) URL', () => {
    expect(() => parseConfig({ issuerUrl: 'http://x' })).toThrow('gatewayUrl must be a string');
    expect(() => parseConfig({ gatewayUrl: 'http://x', issuerUrl: 'javascript:alert(1)' })).toThrow(
      'issuerUrl must be http(s)',
    );
    expect(() => parseConfig(null)).toThrow('expected an object');
  });
});
