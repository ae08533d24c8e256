import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { isNotFound } from './fs-helpers.ts';
import { mountPointsUnder } from './mount-points.ts';

/**
 * Removes `path` (file or directory tree, never following symlinks) and returns the bytes its
 * regular files held. Directories without owner write/exec permission (common in layers) are
 * opened up first, so a non-root user can remove what it unpacked. Refuses (E_STORE_MOUNTED)
 * when a file system is mounted inside, rather than delete through the mount. The walk and the
 * removal are synchronous calls: a snapshot holds thousands of files, and a thread-pool round
 * trip per call costs more than the call.
 */
export async function removeTree(path: string): Promise<number> {
  let bytes: number;
  try {
    const mounts = await mountPointsUnder(path);
    if (mounts.length > 0) {
      throw new GantryError(
        'E_STORE_MOUNTED',
        `not removing ${path}: ${mounts[0]} is still mounted inside it`,
        {
          hint: `unmount it (umount ${mounts[0]}), probably left by a build that was killed; then prune again`,
        },
      );
    }
    bytes = measureAndOpenUp(path);
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw e;
  }
  rmSync(path, { recursive: true, force: true });
  return bytes;
}

function measureAndOpenUp(path: string): number {
  const st = lstatSync(path);
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return 0;
  if ((st.mode & 0o700) !== 0o700) chmodSync(path, (st.mode & 0o7777) | 0o700);
  let total = 0;
  for (const name of readdirSync(path)) total += measureAndOpenUp(join(path, name));
  return total;
}
