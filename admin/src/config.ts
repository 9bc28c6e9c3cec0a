/**
 * Runtime configuration, fetched from `/config.json` at boot so one build runs against any gateway
 * and issuer (admin/serve.mjs answers it from GATEWAY_URL and OIDC_ISSUER).
 */
export interface AdminConfig {
  gatewayUrl: string;
  issuerUrl: string;
}

const absoluteHttpUrl = (value: unknown, name: string): string => {
  if (typeof value !== 'string') throw new Error(`config.json: ${name} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`config.json: ${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`config.json: ${name} must be http(s): ${value}`);
  }
  return value;
};

/** Validates a parsed config.json; throws an Error naming the bad field. */
export const parseConfig = (json: unknown): AdminConfig => {
  if (typeof json !== 'object' || json === null) throw new Error('config.json: expected an object');
  const raw = json as Record<string, unknown>;
  return {
    gatewayUrl: absoluteHttpUrl(raw.gatewayUrl, 'gatewayUrl'),
    issuerUrl: absoluteHttpUrl(raw.issuerUrl, 'issuerUrl'),
  };
};

/** Fetches and validates `/config.json` (never cached, so a redeploy's config is picked up). */
export const loadConfig = async (url = '/config.json'): Promise<AdminConfig> => {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return parseConfig(await response.json());
};
