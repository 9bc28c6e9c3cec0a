import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig, subgraphUrl } from './config.js';

describe('loadConfig', () => {
  it('runs on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.GATEWAY_PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.OIDC_ROLES_CLAIM).toBe('roles');
    expect(subgraphUrl(config, 'audit')).toBe('http://127.0.0.1:4004/graphql');
  });

  it('takes Entra ID claim names and explicit subgraph URLs from the environment', () => {
    const config = loadConfig({
      OIDC_TENANT_CLAIM: 'tid',
      DEALS_URL: 'http://deals.internal/graphql',
      CORS_ORIGINS: 'https://a, https://b',
    });
    expect(config.OIDC_TENANT_CLAIM).toBe('tid');
    expect(subgraphUrl(config, 'deals')).toBe('http://deals.internal/graphql');
    expect(config.CORS_ORIGINS).toEqual(['https://a', 'https://b']);
  });

  it('names every invalid variable', () => {
    expect(() =>
      loadConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' }),
    ).toThrow(/GATEWAY_PORT[\s\S]*DATABASE_URL[\s\S]*LOG_LEVEL|GATEWAY_PORT/);
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'not a url' });
    } catch (err) {
      expect((err as Error).message).toContain('GATEWAY_PORT');
      expect((err as Error).message).toContain('DATABASE_URL');
    }
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the configuration reads', () => {
    const text = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = new Set([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('shows each active default as the configuration has it', () => {
    const text = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const defaults = loadConfig({}) as Record<string, unknown>;
    const shown = [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)];
    expect(shown.length).toBeGreaterThan(10);
    for (const [, name, value] of shown) {
      const actual = defaults[name ?? ''];
      expect(Array.isArray(actual) ? actual.join(',') : String(actual), name).toBe(value);
    }
  });
});
