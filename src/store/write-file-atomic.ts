import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, unlinkIfExists } from './fs-helpers.ts';
import { tempName } from './temp-name.ts';

export interface WriteFileAtomicOptions {
  /** Directory for the temp file; must be on the same file system as `target`. */
  tmpDir: string;
  target: string;
  data: string | Uint8Array;
  mode?: number;
}

/**
 * Replaces `target` with `data` so that readers see the old or the new content, never a mix,
 * and a crash leaves one of the two: temp file, fsync, rename, fsync of the directory.
 */
export async function writeFileAtomic({
  tmpDir,
  target,
  data,
  mode = 0o644,
}: WriteFileAtomicOptions): Promise<void> {
  const tmp = join(tmpDir, tempName('file'));
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlinkIfExists(tmp);
    throw e;
  }
  await fsyncDir(dirname(target));
}
