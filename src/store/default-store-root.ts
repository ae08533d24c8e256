import { isAbsolute, join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';

export interface StoreRootInputs {
  env: Record<string, string | undefined>;
  uid: number;
  /** Fallback home directory when `env.HOME` is unset (e.g. `os.homedir()`). */
  homedir?: string;
}

/**
 * The store root: `$GANTRY_ROOT`, else `/var/lib/gantry` for root, else
 * `$XDG_DATA_HOME/gantry`, else `~/.local/share/gantry`. Pure: every input is passed in.
 */
export function defaultStoreRoot({ env, uid, homedir }: StoreRootInputs): string {
  const explicit = nonEmpty(env.GANTRY_ROOT);
  if (explicit !== undefined) return explicit;
  if (uid === 0) return '/var/lib/gantry';
  // The XDG base directory spec says relative paths are invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'gantry');
  const home = nonEmpty(env.HOME) ?? nonEmpty(homedir);
  if (home === undefined) {
    throw new GantryError('E_STORE_ROOT_UNKNOWN', 'cannot choose a store directory: HOME is not set', {
      hint: 'set GANTRY_ROOT (or XDG_DATA_HOME) to the directory gantry should keep images in',
    });
  }
  return join(home, '.local', 'share', 'gantry');
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
