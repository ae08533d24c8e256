import { homedir } from 'node:os';
import type { RegistryAccessOptions } from '../registry/client-options.ts';
// Not the registry index: every command starts here, and most never talk to a registry.
import { resolveCredentials } from '../registry/docker-config.ts';
import { defaultStoreRoot, openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';

/** What every command reads from the process: the only place (with main.ts) that touches env. */
export interface CliEnv {
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  columns: number | undefined;
}

export function processEnv(): CliEnv {
  return {
    env: process.env,
    cwd: process.cwd(),
    home: process.env.HOME ?? homedir(),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
  };
}

export async function storeFor(cli: CliEnv, root: string | undefined): Promise<Store> {
  return openStore(
    root ?? defaultStoreRoot({ env: cli.env, uid: process.getuid?.() ?? 0, homedir: cli.home }),
  );
}

export function registryOptions(cli: CliEnv, insecure: string[]): RegistryAccessOptions {
  return {
    credentials: (host) => resolveCredentials(host, { env: cli.env, home: cli.home }),
    insecureRegistries: insecure,
  };
}

/** Collects a repeatable option into an array (commander). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
