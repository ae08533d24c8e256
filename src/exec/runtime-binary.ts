import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `runc`, `crun`, or a path to an OCI runtime binary with runc's command line. */
export type RuntimeName = 'runc' | 'crun' | (string & {});

/**
 * The binary to spawn for `--runtime`: a bare name is looked up on PATH by spawn itself;
 * anything with a slash is a path used as given.
 */
export function runtimeBinary(runtime: RuntimeName | undefined): string {
  const r = runtime === undefined || runtime === '' ? 'runc' : runtime;
  return r;
}

/** Finds `name` on `PATH` (or returns it when it is a path to an executable); undefined if absent. */
export function findExecutable(name: string, pathEnv: string = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : pathEnv
        .split(delimiter)
        .filter((d) => d !== '')
        .map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}
