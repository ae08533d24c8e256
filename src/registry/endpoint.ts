import { DEFAULT_DOMAIN } from './reference.ts';

/** The API host for a reference domain: Docker Hub's API lives at registry-1.docker.io. */
export function apiHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
}

function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Plain HTTP is allowed only for loopback (`localhost`, `127.0.0.0/8`, `::1`) and the hosts the
 * user names in `insecureRegistries` (with or without port).
 */
export function isPlainHttpAllowed(host: string, insecureRegistries: readonly string[] = []): boolean {
  const bare = hostWithoutPort(host).toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)) return true;
  return insecureRegistries.some((r) => {
    const x = r
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '')
      .toLowerCase();
    return x === host.toLowerCase() || x === bare;
  });
}
