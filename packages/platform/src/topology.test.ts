import { describe, expect, it } from 'vitest';
import { loadConfig, subgraphUrl } from './config.js';
import { envPrefix, isSubgraphName, OWNED_SCHEMAS, SUBGRAPHS, TOPOLOGY } from './topology.js';

describe('the topology', () => {
  it('gives every service its own port and every subgraph its own schema', () => {
    const ports = [
      TOPOLOGY.gateway.port,
      TOPOLOGY.issuer.port,
      TOPOLOGY.admin.port,
      ...SUBGRAPHS.map((name) => TOPOLOGY.subgraphs[name].port),
    ];
    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(OWNED_SCHEMAS).size).toBe(SUBGRAPHS.length);
  });

  it('is what the configuration defaults to', () => {
    const config = loadConfig({});
    for (const name of SUBGRAPHS) {
      expect(config[`${envPrefix(name)}_PORT`]).toBe(TOPOLOGY.subgraphs[name].port);
      expect(subgraphUrl(config, name)).toBe(`http://127.0.0.1:${TOPOLOGY.subgraphs[name].port}/graphql`);
    }
    expect(config.GATEWAY_PORT).toBe(TOPOLOGY.gateway.port);
  });

  it('knows its subgraphs by name only', () => {
    expect(isSubgraphName('deals')).toBe(true);
    expect(isSubgraphName('toString')).toBe(false);
  });
});
