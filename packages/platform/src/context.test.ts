import { describe, expect, it } from 'vitest';
import { perRequest } from './context.js';

describe('perRequest', () => {
  it('builds once per request context and again for the next request', () => {
    let builds = 0;
    const loaders = perRequest((ctx: { id: number }) => ({ id: ctx.id, n: (builds += 1) }));
    const first = { id: 1 };
    const second = { id: 2 };
    expect(loaders(first)).toBe(loaders(first));
    expect(loaders(second)).toEqual({ id: 2, n: 2 });
    expect(builds).toBe(2);
  });

  it('caches nothing when the build throws, so every call is refused (the wrong role)', () => {
    let calls = 0;
    const loaders = perRequest((_ctx: object) => {
      calls += 1;
      throw new Error('requires one of the roles ARRANGER');
    });
    const ctx = {};
    expect(() => loaders(ctx)).toThrow('ARRANGER');
    expect(() => loaders(ctx)).toThrow('ARRANGER');
    expect(calls).toBe(2);
  });
});
