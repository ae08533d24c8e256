import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from './fs-helpers.ts';

/**
 * Removes `path` (file or directory tree, never following symlinks) and returns the bytes its
 * regular files held. Directories without owner write/exec permission (common in layers) are
 * opened up first, so a non-root user can remove what it unpacked.
 */
export async function removeTree(path: string): Promise<number> {
  let bytes: number;
  try {
    bytes = await measureAndOpenUp(path);
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw e;
  }
  await rm(path, { recursive: true, force: true });
  return bytes;
}

async function measureAndOpenUp(path: string): Promise<number> {
  const st = await lstat(path);
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return 0;
  if ((st.mode & 0o700) !== 0o700) await chmod(path, (st.mode & 0o7777) | 0o700);
  let total = 0;
  for (const name of await readdir(path)) total += await measureAndOpenUp(join(path, name));
  return total;
}
