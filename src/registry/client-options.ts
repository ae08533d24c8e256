import type { Credentials } from './docker-config.ts';
import { type FetchImpl, RegistryClient } from './registry-client.ts';

/** How to talk to a registry; shared by pull, resolve and push. */
export interface RegistryAccessOptions {
  /** A ready client for the reference's registry (reuses its token cache). Overrides the fields below. */
  client?: RegistryClient;
  credentials?: (host: string) => Promise<Credentials | undefined>;
  insecureRegistries?: readonly string[];
  fetchImpl?: FetchImpl;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

export function clientFor(host: string, opts: RegistryAccessOptions): RegistryClient {
  if (opts.client !== undefined) {
    if (opts.client.host !== host)
      throw new Error(`registry client for ${opts.client.host} used for ${host}`);
    return opts.client;
  }
  return new RegistryClient({
    host,
    credentials: opts.credentials,
    insecureRegistries: opts.insecureRegistries,
    fetchImpl: opts.fetchImpl,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    backoffMs: opts.backoffMs,
    sleep: opts.sleep,
    userAgent: opts.userAgent,
  });
}
