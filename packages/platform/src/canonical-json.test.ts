import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('gives the same bytes whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('writes bigints as decimal strings and dates as ISO strings, and drops undefined', () => {
    expect(canonicalJson({ amount: 12345678901234567890n, at: new Date(0), gone: undefined })).toBe(
      '{"amount":"12345678901234567890","at":"1970-01-01T00:00:00.000Z"}',
    );
  });
});
