import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type NetworkMode = 'host' | 'none';

/** The hostname BuildKit gives build containers. */
export const DEFAULT_HOSTNAME = 'buildkitsandbox';

const DEFAULT_NAMESERVERS = ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844'];

/** `/etc/hosts` of a step, as BuildKit writes it: localhost and the hostname, IPv4 and IPv6. */
export function hostsFileText(hostname: string): string {
  return `127.0.0.1\tlocalhost ${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
}

function nameserverOf(line: string): string | undefined {
  const m = /^\s*nameserver\s+(\S+)/.exec(line);
  return m?.[1];
}

function isLocalhost(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1';
}

/**
 * `/etc/resolv.conf` of a step, from the host's text (BuildKit's rules):
 * - host network: the host's file as is, unless it names no nameserver;
 * - otherwise localhost nameservers are dropped (they cannot be reached from another network
 *   namespace);
 * - when no nameserver is left, public defaults are added.
 */
export function resolvConfText(hostText: string | undefined, network: NetworkMode): string {
  const text = hostText ?? '';
  const lines = text.split('\n');
  const servers = lines.map(nameserverOf).filter((s) => s !== undefined);
  if (network === 'host' && servers.length > 0) return text;
  const kept = lines.filter((l) => {
    const ns = nameserverOf(l);
    return ns === undefined || !isLocalhost(ns);
  });
  let out = kept.join('\n').replace(/\n{3,}/g, '\n\n');
  if (!kept.some((l) => nameserverOf(l) !== undefined)) {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += DEFAULT_NAMESERVERS.map((ns) => `nameserver ${ns}\n`).join('');
  }
  return out;
}

async function readOptional(p: string): Promise<string | undefined> {
  try {
    return await readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The host's resolver configuration; systemd-resolved's stub is replaced by its upstream list. */
export async function hostResolvConf(): Promise<string | undefined> {
  const etc = await readOptional('/etc/resolv.conf');
  const servers = (etc ?? '').split('\n').map(nameserverOf);
  if (servers.length > 0 && servers.every((s) => s === undefined || s === '127.0.0.53')) {
    const upstream = await readOptional('/run/systemd/resolve/resolv.conf');
    if (upstream !== undefined) return upstream;
  }
  return etc;
}

export interface NetworkFiles {
  hostsPath: string;
  resolvConfPath: string;
}

/** Writes `hosts` and `resolv.conf` for one container into `dir` (bound read-only into it). */
export async function writeNetworkFiles(
  dir: string,
  opts: { hostname: string; network: NetworkMode },
): Promise<NetworkFiles> {
  const hostsPath = join(dir, 'hosts');
  const resolvConfPath = join(dir, 'resolv.conf');
  await writeFile(hostsPath, hostsFileText(opts.hostname), { mode: 0o644 });
  await writeFile(resolvConfPath, resolvConfText(await hostResolvConf(), opts.network), { mode: 0o644 });
  return { hostsPath, resolvConfPath };
}
